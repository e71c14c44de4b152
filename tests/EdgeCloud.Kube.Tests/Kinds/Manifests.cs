namespace EdgeCloud.Kube.Tests.Kinds;

/// <summary>Realistic manifests as users and controllers write them.</summary>
internal static class Manifests
{
    /// <summary>The template of a production-style Deployment: sidecars, env from everything, spread, anti-affinity.</summary>
    public const string DeploymentTemplate = """
        {
          "metadata": {
            "labels": { "app.kubernetes.io/name": "shop", "app.kubernetes.io/component": "api" },
            "annotations": { "prometheus.io/scrape": "true", "kubectl.kubernetes.io/restartedAt": "2025-04-01T10:00:00Z" }
          },
          "spec": {
            "serviceAccountName": "shop-api",
            "automountServiceAccountToken": false,
            "priorityClassName": "high",
            "terminationGracePeriodSeconds": 45,
            "enableServiceLinks": false,
            "imagePullSecrets": [ { "name": "registry" } ],
            "nodeSelector": { "kubernetes.io/os": "linux" },
            "os": { "name": "linux" },
            "securityContext": {
              "runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001,
              "fsGroupChangePolicy": "OnRootMismatch", "supplementalGroups": [ 2000 ],
              "supplementalGroupsPolicy": "Merge",
              "seccompProfile": { "type": "RuntimeDefault" },
              "sysctls": [ { "name": "net.ipv4.ip_local_port_range", "value": "1024 65000" } ]
            },
            "topologySpreadConstraints": [
              {
                "maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": { "matchLabels": { "app.kubernetes.io/name": "shop" } },
                "matchLabelKeys": [ "pod-template-hash" ], "minDomains": 2,
                "nodeAffinityPolicy": "Honor", "nodeTaintsPolicy": "Ignore"
              }
            ],
            "affinity": {
              "podAntiAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                  {
                    "weight": 100,
                    "podAffinityTerm": {
                      "topologyKey": "kubernetes.io/hostname",
                      "labelSelector": { "matchExpressions": [ { "key": "app.kubernetes.io/name", "operator": "In", "values": [ "shop" ] } ] },
                      "matchLabelKeys": [ "pod-template-hash" ]
                    }
                  }
                ]
              }
            },
            "tolerations": [
              { "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60 },
              { "key": "dedicated", "operator": "Equal", "value": "shop", "effect": "NoSchedule" }
            ],
            "initContainers": [
              {
                "name": "migrate", "image": "registry.example.com/shop/migrate:1.4.2",
                "command": [ "/bin/migrate" ], "args": [ "--to", "latest" ],
                "envFrom": [ { "secretRef": { "name": "db" } } ],
                "resources": { "requests": { "cpu": "50m", "memory": "64Mi" }, "limits": { "memory": "128Mi" } }
              },
              {
                "name": "log-shipper", "image": "fluent/fluent-bit:3.0", "restartPolicy": "Always",
                "volumeMounts": [ { "name": "logs", "mountPath": "/var/log/app", "readOnly": true } ],
                "startupProbe": { "exec": { "command": [ "test", "-S", "/tmp/fluent.sock" ] }, "failureThreshold": 30, "periodSeconds": 1 }
              }
            ],
            "containers": [
              {
                "name": "api", "image": "registry.example.com/shop/api:1.4.2", "imagePullPolicy": "IfNotPresent",
                "workingDir": "/srv",
                "ports": [ { "name": "http", "containerPort": 8080, "protocol": "TCP" }, { "name": "metrics", "containerPort": 9090 } ],
                "env": [
                  { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                  { "name": "POD_IP", "valueFrom": { "fieldRef": { "fieldPath": "status.podIP" } } },
                  { "name": "MEMORY_LIMIT", "valueFrom": { "resourceFieldRef": { "containerName": "api", "resource": "limits.memory", "divisor": "1Mi" } } },
                  { "name": "LOG_LEVEL", "valueFrom": { "configMapKeyRef": { "name": "shop", "key": "logLevel", "optional": true } } },
                  { "name": "DB_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "db", "key": "password" } } },
                  { "name": "GOMAXPROCS", "value": "2" },
                  { "name": "URL", "value": "http://$(POD_IP):8080" }
                ],
                "envFrom": [ { "prefix": "SHOP_", "configMapRef": { "name": "shop-config" } } ],
                "resources": {
                  "requests": { "cpu": "250m", "memory": "256Mi", "ephemeral-storage": "1Gi" },
                  "limits": { "cpu": 1, "memory": "512Mi", "nvidia.com/gpu": 0 }
                },
                "resizePolicy": [ { "resourceName": "cpu", "restartPolicy": "NotRequired" }, { "resourceName": "memory", "restartPolicy": "RestartContainer" } ],
                "readinessProbe": { "httpGet": { "path": "/ready", "port": "http", "httpHeaders": [ { "name": "X-Probe", "value": "1" } ] }, "periodSeconds": 5 },
                "livenessProbe": { "httpGet": { "path": "/live", "port": 8080, "scheme": "HTTP" }, "initialDelaySeconds": 10, "timeoutSeconds": 2, "failureThreshold": 5 },
                "lifecycle": { "preStop": { "sleep": { "seconds": 5 } } },
                "securityContext": {
                  "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "privileged": false,
                  "capabilities": { "drop": [ "ALL" ], "add": [ "NET_BIND_SERVICE" ] }
                },
                "volumeMounts": [
                  { "name": "logs", "mountPath": "/var/log/app" },
                  { "name": "config", "mountPath": "/etc/shop", "readOnly": true },
                  { "name": "tmp", "mountPath": "/tmp" }
                ],
                "terminationMessagePolicy": "FallbackToLogsOnError"
              }
            ],
            "volumes": [
              { "name": "logs", "emptyDir": {} },
              { "name": "tmp", "emptyDir": { "medium": "Memory", "sizeLimit": "64Mi" } },
              { "name": "config", "configMap": { "name": "shop-config", "items": [ { "key": "app.yaml", "path": "app.yaml", "mode": 292 } ], "defaultMode": 420 } }
            ]
          }
        }
        """;

    /// <summary>A pod as the server returns it: every probe kind, many volume sources, node and pod affinity, and a full status.</summary>
    public const string FullPod = """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {
            "name": "db-0", "namespace": "data", "uid": "2b7f8c1e-1111-4a5b-9c0d-1234567890ab",
            "resourceVersion": "4711", "generation": 1, "creationTimestamp": "2025-04-01T10:00:00Z",
            "labels": { "app": "db", "statefulset.kubernetes.io/pod-name": "db-0" },
            "annotations": { "note": "x" },
            "finalizers": [ "example.com/protect" ],
            "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "9f1e", "controller": true, "blockOwnerDeletion": true } ],
            "managedFields": [
              { "manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": "2025-04-01T10:00:00Z",
                "fieldsType": "FieldsV1", "fieldsV1": { "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } } },
              { "manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2025-04-01T10:00:05Z",
                "fieldsType": "FieldsV1", "fieldsV1": { "f:status": {} }, "subresource": "status" }
            ]
          },
          "spec": {
            "hostname": "db-0", "subdomain": "db", "setHostnameAsFQDN": false, "shareProcessNamespace": true,
            "hostNetwork": false, "hostPID": false, "hostIPC": false, "hostUsers": false,
            "restartPolicy": "Always", "dnsPolicy": "None", "schedulerName": "default-scheduler",
            "runtimeClassName": "gvisor", "preemptionPolicy": "PreemptLowerPriority", "priority": 1000,
            "activeDeadlineSeconds": 86400, "nodeName": "edge-1", "serviceAccount": "db", "serviceAccountName": "db",
            "overhead": { "cpu": "10m", "memory": "20Mi" },
            "dnsConfig": { "nameservers": [ "10.0.0.10" ], "searches": [ "data.svc.cluster.local" ], "options": [ { "name": "ndots", "value": "2" }, { "name": "edns0" } ] },
            "hostAliases": [ { "ip": "10.1.2.3", "hostnames": [ "legacy.local" ] } ],
            "readinessGates": [ { "conditionType": "example.com/LoadBalancerReady" } ],
            "schedulingGates": [ { "name": "example.com/quota" } ],
            "resourceClaims": [ { "name": "gpu", "resourceClaimTemplateName": "one-gpu" } ],
            "resources": { "limits": { "cpu": "4", "memory": "8Gi" } },
            "securityContext": {
              "seLinuxOptions": { "level": "s0:c123,c456" },
              "windowsOptions": { "runAsUserName": "ContainerUser", "hostProcess": false },
              "appArmorProfile": { "type": "Localhost", "localhostProfile": "db" },
              "seLinuxChangePolicy": "MountOption"
            },
            "affinity": {
              "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                  "nodeSelectorTerms": [
                    { "matchExpressions": [ { "key": "node-role.example.com/storage", "operator": "Exists" } ],
                      "matchFields": [ { "key": "metadata.name", "operator": "NotIn", "values": [ "edge-9" ] } ] }
                  ]
                },
                "preferredDuringSchedulingIgnoredDuringExecution": [
                  { "weight": 10, "preference": { "matchExpressions": [ { "key": "disk", "operator": "In", "values": [ "nvme" ] } ] } }
                ]
              },
              "podAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": [
                  { "topologyKey": "topology.kubernetes.io/zone", "labelSelector": { "matchLabels": { "app": "cache" } },
                    "namespaces": [ "data" ], "namespaceSelector": {}, "mismatchLabelKeys": [ "tenant" ] }
                ]
              }
            },
            "initContainers": [
              { "name": "init-perms", "image": "busybox", "command": [ "sh", "-c", "chown -R 999 /data" ],
                "securityContext": { "runAsUser": 0, "runAsNonRoot": false },
                "volumeMounts": [ { "name": "data", "mountPath": "/data", "subPath": "pg", "mountPropagation": "None" } ] }
            ],
            "containers": [
              {
                "name": "postgres", "image": "postgres:17", "stdin": false, "stdinOnce": false, "tty": false,
                "ports": [ { "containerPort": 5432, "name": "pg", "hostPort": 15432, "hostIP": "0.0.0.0" } ],
                "startupProbe": { "tcpSocket": { "port": 5432 }, "failureThreshold": 60, "periodSeconds": 2 },
                "livenessProbe": { "exec": { "command": [ "pg_isready" ] }, "terminationGracePeriodSeconds": 10 },
                "readinessProbe": { "grpc": { "port": 9000, "service": "readiness" }, "successThreshold": 2 },
                "lifecycle": {
                  "postStart": { "exec": { "command": [ "/hooks/start" ] } },
                  "preStop": { "httpGet": { "port": 8008, "path": "/shutdown", "host": "localhost" } },
                  "stopSignal": "SIGINT"
                },
                "resources": { "requests": { "cpu": "1", "memory": "2Gi" }, "claims": [ { "name": "gpu", "request": "a" } ] },
                "restartPolicy": "Always",
                "volumeMounts": [
                  { "name": "data", "mountPath": "/var/lib/postgresql/data", "subPathExpr": "$(POD_NAME)", "recursiveReadOnly": "Disabled" },
                  { "name": "token", "mountPath": "/var/run/secrets/tokens", "readOnly": true, "recursiveReadOnly": "IfPossible" }
                ],
                "volumeDevices": [ { "name": "raw", "devicePath": "/dev/xvdb" } ],
                "securityContext": {
                  "procMount": "Default",
                  "seccompProfile": { "type": "Localhost", "localhostProfile": "profiles/pg.json" },
                  "seLinuxOptions": { "user": "system_u", "role": "system_r", "type": "container_t", "level": "s0" }
                }
              }
            ],
            "ephemeralContainers": [
              { "name": "debugger", "image": "busybox", "targetContainerName": "postgres", "stdin": true, "tty": true }
            ],
            "volumes": [
              { "name": "data", "persistentVolumeClaim": { "claimName": "data-db-0" } },
              { "name": "raw", "ephemeral": { "volumeClaimTemplate": {
                  "metadata": { "labels": { "kind": "raw" } },
                  "spec": { "accessModes": [ "ReadWriteOnce" ], "volumeMode": "Block", "storageClassName": "fast",
                            "resources": { "requests": { "storage": "10Gi" } },
                            "dataSourceRef": { "apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "snap" } } } } },
              { "name": "token", "projected": { "defaultMode": 420, "sources": [
                  { "serviceAccountToken": { "audience": "vault", "expirationSeconds": 3600, "path": "vault-token" } },
                  { "configMap": { "name": "kube-root-ca.crt", "items": [ { "key": "ca.crt", "path": "ca.crt" } ] } },
                  { "secret": { "name": "tls", "optional": true } },
                  { "downwardAPI": { "items": [ { "path": "labels", "fieldRef": { "fieldPath": "metadata.labels" } } ] } },
                  { "clusterTrustBundle": { "signerName": "example.com/signer", "labelSelector": { "matchLabels": { "x": "y" } }, "path": "bundle.pem" } }
                ] } },
              { "name": "host", "hostPath": { "path": "/var/run/edge", "type": "DirectoryOrCreate" } },
              { "name": "creds", "secret": { "secretName": "creds", "defaultMode": 256, "items": [ { "key": "a", "path": "a" } ] } },
              { "name": "info", "downwardAPI": { "items": [ { "path": "cpu", "resourceFieldRef": { "containerName": "postgres", "resource": "requests.cpu", "divisor": "1m" } } ] } },
              { "name": "share", "nfs": { "server": "nfs.local", "path": "/exports/db", "readOnly": true } },
              { "name": "csi", "csi": { "driver": "secrets-store.csi.k8s.io", "readOnly": true, "volumeAttributes": { "secretProviderClass": "db" }, "nodePublishSecretRef": { "name": "sp" } } },
              { "name": "tools", "image": { "reference": "registry.example.com/tools:1", "pullPolicy": "IfNotPresent" } },
              { "name": "iscsi", "iscsi": { "targetPortal": "10.0.0.5:3260", "iqn": "iqn.2001-04.com.example:storage", "lun": 0, "fsType": "ext4", "portals": [ "10.0.0.6:3260" ] } }
            ]
          },
          "status": {
            "phase": "Running", "observedGeneration": 1, "qosClass": "Burstable",
            "hostIP": "192.168.1.10", "hostIPs": [ { "ip": "192.168.1.10" } ],
            "podIP": "10.244.1.7", "podIPs": [ { "ip": "10.244.1.7" }, { "ip": "fd00::7" } ],
            "startTime": "2025-04-01T10:00:02Z",
            "conditions": [
              { "type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2025-04-01T10:00:01Z" },
              { "type": "Ready", "status": "True", "lastTransitionTime": "2025-04-01T10:00:30Z", "observedGeneration": 1 }
            ],
            "initContainerStatuses": [
              { "name": "init-perms", "ready": true, "restartCount": 0, "image": "busybox:latest", "imageID": "docker.io/library/busybox@sha256:ab",
                "containerID": "containerd://aa", "started": false,
                "state": { "terminated": { "exitCode": 0, "reason": "Completed", "startedAt": "2025-04-01T10:00:03Z", "finishedAt": "2025-04-01T10:00:04Z", "containerID": "containerd://aa" } },
                "lastState": {} }
            ],
            "containerStatuses": [
              { "name": "postgres", "ready": true, "started": true, "restartCount": 1, "image": "postgres:17", "imageID": "docker.io/library/postgres@sha256:cd",
                "containerID": "containerd://bb",
                "state": { "running": { "startedAt": "2025-04-01T10:00:10Z" } },
                "lastState": { "terminated": { "exitCode": 137, "signal": 9, "reason": "OOMKilled", "message": "killed", "finishedAt": "2025-04-01T10:00:09Z" } },
                "allocatedResources": { "cpu": "1", "memory": "2Gi" },
                "resources": { "requests": { "cpu": "1" } },
                "volumeMounts": [ { "name": "data", "mountPath": "/var/lib/postgresql/data", "readOnly": false, "recursiveReadOnly": "Disabled" } ],
                "user": { "linux": { "uid": 999, "gid": 999, "supplementalGroups": [ 999 ] } },
                "allocatedResourcesStatus": [ { "name": "claim:gpu/a", "resources": [ { "resourceID": "gpu-0", "health": "Healthy" } ] } ],
                "stopSignal": "SIGINT" }
            ],
            "ephemeralContainerStatuses": [
              { "name": "debugger", "ready": false, "restartCount": 0, "image": "busybox", "imageID": "",
                "state": { "waiting": { "reason": "ContainerCreating", "message": "pulling" } } }
            ],
            "resourceClaimStatuses": [ { "name": "gpu", "resourceClaimName": "db-0-gpu-x7" } ],
            "nominatedNodeName": ""
          }
        }
        """;
}
