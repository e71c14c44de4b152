using System.Text.Json.Nodes;
using EdgeCloud.Kube.Schema;
using S = EdgeCloud.Kube.Schema.Schemas;

namespace EdgeCloud.Kube.Kinds;

public static partial class PodSchemas
{
    // The mode every projected file gets unless told otherwise: 0644, as SetDefaults_SecretVolumeSource,
    // SetDefaults_ConfigMapVolumeSource, SetDefaults_DownwardAPIVolumeSource and SetDefaults_ProjectedVolumeSource set it.
    private const int DefaultFileMode = 420;

    /// <summary>
    /// core/v1 Volume: a named volume of a pod and its source (exactly one source field). When no source is set the
    /// server makes it an emptyDir (SetDefaults_Volume); that is logic for the defaulter, not a constant default here.
    /// </summary>
    public static SchemaNode Volume => field ??= S.Object(
        "A named volume that containers of the pod can mount; set exactly one source.",
        [("name", S.String("Name of the volume, a DNS label unique in the pod.")), .. VolumeSourceFields()])
        .Require("name");

    /// <summary>core/v1 LocalObjectReference: the name of an object in the same namespace.</summary>
    public static SchemaNode LocalObjectReference => field ??= S.Object(
        "Refers to an object by name in the same namespace.",
        ("name", ReferentName))
        with { AtomicMap = true };

    /// <summary>core/v1 PersistentVolumeClaimSpec: the desired storage of a claim, as used by ephemeral volumes.</summary>
    public static SchemaNode PersistentVolumeClaimSpec => field ??= S.Object(
        "Desired characteristics of a persistent volume claim.",
        ("accessModes", S.ListOf(S.Enum(null, "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"), "Ways the volume may be mounted.")),
        ("selector", MetaSchemas.LabelSelector.Describe("Label query over existing volumes to bind to.")),
        ("resources", S.Object(
            "Storage the claim needs.",
            ("limits", ResourceList("Most storage that may be used.")),
            ("requests", ResourceList("Least storage required, e.g. storage: 10Gi.")))),
        ("volumeName", S.String("Name of a specific PersistentVolume to bind to.")),
        ("storageClassName", S.String("StorageClass used to provision the volume; empty string means none.")),
        ("volumeMode", S.Enum("Whether the volume is a filesystem or a raw block device.", "Filesystem", "Block")),
        ("dataSource", TypedLocalReference("Existing object (snapshot or claim) to populate the volume from.")),
        ("dataSourceRef", TypedLocalReference("Object to populate the volume from, possibly from a volume populator.")
            .With(("namespace", S.String("Namespace of the referent, when cross-namespace sources are allowed."))) with { AtomicMap = false }),
        ("volumeAttributesClassName", S.String("VolumeAttributesClass applied to the volume.")));

    private static SchemaNode KeyToPath => field ??= S.Object(
        "Projects one key into a file.",
        ("key", S.String("Key to project.")),
        ("path", S.String("Relative path of the file; must not contain '..' or start with '..'.")),
        ("mode", S.Int32("Permission bits of the file, 0000-0777; defaults to the volume's defaultMode.")),
        ("user", S.Int64("Owner UID of the file.")))
        .Require("key", "path");

    private static SchemaNode DownwardApiFile => field ??= S.Object(
        "One file populated from a pod field or container resource.",
        ("path", S.String("Relative path of the file to create.")),
        ("fieldRef", ObjectFieldSelector.Describe("Pod field to write; only annotations, labels, name, namespace and uid.")),
        ("resourceFieldRef", ResourceFieldSelector.Describe("Container resource limit or request to write.")),
        ("mode", S.Int32("Permission bits of the file, 0000-0777.")),
        ("user", S.Int64("Owner UID of the file.")))
        .Require("path");

    private static SchemaNode SecretRef => field ??= LocalObjectReference.Describe("Secret holding credentials.");

    private static SchemaNode TypedLocalReference(string description) => S.Object(
        description,
        ("apiGroup", S.String("API group of the referent; empty for the core group.")),
        ("kind", S.String("Kind of the referent.")),
        ("name", S.String("Name of the referent.")))
        .Require("kind", "name") with { AtomicMap = true };

    private static (string Name, SchemaNode Node)[] VolumeSourceFields() =>
    [
        ("hostPath", S.Object(
            "A file or directory of the node mounted into the pod.",
            ("path", S.String("Path on the node; a symlink is followed.")),
            // +default="" upstream: no check of what exists at the path.
            ("type", S.Enum("What must exist at the path before mounting.", "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice").WithDefault(JsonValue.Create(""))))
            .Require("path")),
        ("emptyDir", S.Object(
            "A scratch directory that lives as long as the pod.",
            ("medium", S.Enum("Storage medium backing the directory: node default or memory (tmpfs).", "", "Memory", "HugePages")),
            ("sizeLimit", S.Quantity("Most storage the directory may use.")),
            ("mode", S.Int32("Permission bits of the directory.")))),
        ("gcePersistentDisk", S.Object(
            "A GCE persistent disk; deprecated in favour of the pd.csi.storage.gke.io CSI driver.",
            ("pdName", S.String("Name of the disk in GCE.")),
            ("fsType", FsType),
            ("partition", S.Int32("Partition to mount; 0 mounts the whole disk.")),
            ("readOnly", ReadOnly))
            .Require("pdName")),
        ("awsElasticBlockStore", S.Object(
            "An AWS EBS volume; deprecated in favour of the ebs.csi.aws.com CSI driver.",
            ("volumeID", S.String("ID of the EBS volume.")),
            ("fsType", FsType),
            ("partition", S.Int32("Partition to mount; 0 mounts the whole volume.")),
            ("readOnly", ReadOnly))
            .Require("volumeID")),
        ("gitRepo", S.Object(
            "Deprecated: a directory cloned from a git repository at pod start.",
            ("repository", S.String("URL of the repository.")),
            ("revision", S.String("Commit hash to check out.")),
            ("directory", S.String("Directory to clone into; '.' clones into the volume root.")))
            .Require("repository")),
        ("secret", S.Object(
            "Files populated from the keys of a Secret.",
            ("secretName", S.String("Name of the Secret in the pod's namespace.")),
            ("items", S.ListOf(KeyToPath, "Keys to project and their paths; all keys when empty.")),
            ("defaultMode", S.Int32("Permission bits of created files, 0000-0777.").WithDefault(JsonValue.Create(DefaultFileMode))),
            ("optional", S.Boolean("Whether the Secret or its keys may be missing.")),
            ("defaultUser", S.Int64("Owner UID of created files.")))),
        ("nfs", S.Object(
            "An NFS export mounted into the pod.",
            ("server", S.String("Host name or IP of the NFS server.")),
            ("path", S.String("Path exported by the server.")),
            ("readOnly", ReadOnly))
            .Require("server", "path")),
        ("iscsi", S.Object(
            "An iSCSI disk.",
            ("targetPortal", S.String("Target portal, IP or ip:port (port 3260 by default).")),
            ("iqn", S.String("iSCSI qualified name of the target.")),
            ("lun", S.Int32("Logical unit number of the target.")),
            ("iscsiInterface", S.String("iSCSI interface name for the transport.").WithDefault(JsonValue.Create("default"))),
            ("fsType", FsType),
            ("readOnly", ReadOnly),
            ("portals", S.ListOf(S.String(), "Additional target portals.")),
            ("chapAuthDiscovery", S.Boolean("Whether CHAP authentication is used for discovery.")),
            ("chapAuthSession", S.Boolean("Whether CHAP authentication is used for the session.")),
            ("secretRef", SecretRef),
            ("initiatorName", S.String("Custom initiator name, replacing <target portal>:<volume name>.")))
            .Require("targetPortal", "iqn", "lun")),
        ("glusterfs", S.Object(
            "A Glusterfs mount; no longer supported by the kubelet.",
            ("endpoints", S.String("Endpoints object naming the Glusterfs servers.")),
            ("path", S.String("Glusterfs volume path.")),
            ("readOnly", ReadOnly))
            .Require("endpoints", "path")),
        ("persistentVolumeClaim", S.Object(
            "A PersistentVolumeClaim in the pod's namespace.",
            ("claimName", S.String("Name of the claim.")),
            ("readOnly", S.Boolean("Forces the mount read-only.")))
            .Require("claimName")),
        ("rbd", S.Object(
            "A Ceph RADOS block device; no longer supported by the kubelet.",
            ("monitors", S.ListOf(S.String(), "Ceph monitor addresses.")),
            ("image", S.String("Name of the RADOS image.")),
            ("fsType", FsType),
            ("pool", S.String("RADOS pool name.").WithDefault(JsonValue.Create("rbd"))),
            ("user", S.String("RADOS user name.").WithDefault(JsonValue.Create("admin"))),
            ("keyring", S.String("Path of the keyring for the user.").WithDefault(JsonValue.Create("/etc/ceph/keyring"))),
            ("secretRef", SecretRef),
            ("readOnly", ReadOnly))
            .Require("monitors", "image")),
        ("flexVolume", S.Object(
            "A volume provisioned by an exec-based FlexVolume plugin; deprecated.",
            ("driver", S.String("Name of the driver.")),
            ("fsType", FsType),
            ("secretRef", SecretRef),
            ("readOnly", ReadOnly),
            ("options", S.StringMap("Extra options passed to the driver.")))
            .Require("driver")),
        ("cinder", S.Object(
            "An OpenStack Cinder volume; deprecated in favour of the cinder.csi.openstack.org CSI driver.",
            ("volumeID", S.String("ID of the volume in Cinder.")),
            ("fsType", FsType),
            ("readOnly", ReadOnly),
            ("secretRef", SecretRef))
            .Require("volumeID")),
        ("cephfs", S.Object(
            "A CephFS mount; no longer supported by the kubelet.",
            ("monitors", S.ListOf(S.String(), "Ceph monitor addresses.")),
            ("path", S.String("Path within the filesystem to mount; '/' by default.")),
            ("user", S.String("RADOS user name.")),
            ("secretFile", S.String("Path of the keyring for the user.")),
            ("secretRef", SecretRef),
            ("readOnly", ReadOnly))
            .Require("monitors")),
        ("flocker", S.Object(
            "A Flocker dataset; no longer supported.",
            ("datasetName", S.String("Name of the dataset.")),
            ("datasetUUID", S.String("UUID of the dataset.")))),
        ("downwardAPI", S.Object(
            "Files populated from fields of the pod.",
            ("items", S.ListOf(DownwardApiFile, "Files to create.")),
            ("defaultMode", S.Int32("Permission bits of created files, 0000-0777.").WithDefault(JsonValue.Create(DefaultFileMode))),
            ("defaultUser", S.Int64("Owner UID of created files.")))),
        ("fc", S.Object(
            "A Fibre Channel disk.",
            ("targetWWNs", S.ListOf(S.String(), "Target world wide names.")),
            ("lun", S.Int32("Logical unit number.")),
            ("fsType", FsType),
            ("readOnly", ReadOnly),
            ("wwids", S.ListOf(S.String(), "World wide identifiers; use either these or targetWWNs with lun.")))),
        ("azureFile", S.Object(
            "An Azure File share; deprecated in favour of the file.csi.azure.com CSI driver.",
            ("secretName", S.String("Secret holding the storage account name and key.")),
            ("shareName", S.String("Name of the share.")),
            ("readOnly", ReadOnly))
            .Require("secretName", "shareName")),
        ("configMap", S.Object(
            "Files populated from the keys of a ConfigMap.",
            ("name", ReferentName),
            ("items", S.ListOf(KeyToPath, "Keys to project and their paths; all keys when empty.")),
            ("defaultMode", S.Int32("Permission bits of created files, 0000-0777.").WithDefault(JsonValue.Create(DefaultFileMode))),
            ("optional", S.Boolean("Whether the ConfigMap or its keys may be missing.")),
            ("defaultUser", S.Int64("Owner UID of created files.")))),
        ("vsphereVolume", S.Object(
            "A vSphere virtual disk; deprecated in favour of the csi.vsphere.vmware.com CSI driver.",
            ("volumePath", S.String("Path that identifies the disk.")),
            ("fsType", FsType),
            ("storagePolicyName", S.String("Storage policy based management profile name.")),
            ("storagePolicyID", S.String("ID of the storage policy profile.")))
            .Require("volumePath")),
        ("quobyte", S.Object(
            "A Quobyte mount; no longer supported.",
            ("registry", S.String("Registry services as host:port pairs, comma separated.")),
            ("volume", S.String("Name of an existing Quobyte volume.")),
            ("readOnly", ReadOnly),
            ("user", S.String("User to map volume access to.")),
            ("group", S.String("Group to map volume access to.")),
            ("tenant", S.String("Tenant owning the volume.")))
            .Require("registry", "volume")),
        ("azureDisk", S.Object(
            "An Azure data disk; deprecated in favour of the disk.csi.azure.com CSI driver.",
            ("diskName", S.String("Name of the data disk in blob storage.")),
            ("diskURI", S.String("URI of the data disk.")),
            ("cachingMode", S.Enum("Host caching mode.", "None", "ReadOnly", "ReadWrite").WithDefault(JsonValue.Create("ReadWrite"))),
            ("fsType", FsType.WithDefault(JsonValue.Create("ext4"))),
            ("readOnly", ReadOnly.WithDefault(JsonValue.Create(false))),
            ("kind", S.Enum("Kind of disk.", "Shared", "Dedicated", "Managed").WithDefault(JsonValue.Create("Shared"))))
            .Require("diskName", "diskURI")),
        ("photonPersistentDisk", S.Object(
            "A Photon Controller persistent disk; no longer supported.",
            ("pdID", S.String("ID of the disk.")),
            ("fsType", FsType))
            .Require("pdID")),
        ("projected", S.Object(
            "Several sources projected into one directory.",
            ("sources", S.ListOf(VolumeProjection, "Sources to project; their paths must not collide.")),
            ("defaultMode", S.Int32("Permission bits of created files, 0000-0777.").WithDefault(JsonValue.Create(DefaultFileMode))),
            ("defaultUser", S.Int64("Owner UID of created files.")))),
        ("portworxVolume", S.Object(
            "A Portworx volume; migrated to the pxd.portworx.com CSI driver.",
            ("volumeID", S.String("ID of the volume.")),
            ("fsType", FsType),
            ("readOnly", ReadOnly))
            .Require("volumeID")),
        ("scaleIO", S.Object(
            "A ScaleIO volume; no longer supported.",
            ("gateway", S.String("Address of the ScaleIO API gateway.")),
            ("system", S.String("Name of the storage system.")),
            ("secretRef", SecretRef),
            ("sslEnabled", S.Boolean("Whether to talk to the gateway over SSL.")),
            ("protectionDomain", S.String("Protection domain of the storage.")),
            ("storagePool", S.String("Storage pool of the protection domain.")),
            ("storageMode", S.String("ThickProvisioned or ThinProvisioned.").WithDefault(JsonValue.Create("ThinProvisioned"))),
            ("volumeName", S.String("Name of an existing volume.")),
            ("fsType", FsType.WithDefault(JsonValue.Create("xfs"))),
            ("readOnly", ReadOnly))
            .Require("gateway", "system", "secretRef")),
        ("storageos", S.Object(
            "A StorageOS volume; no longer supported.",
            ("volumeName", S.String("Name of the volume within its namespace.")),
            ("volumeNamespace", S.String("StorageOS namespace of the volume.")),
            ("fsType", FsType),
            ("readOnly", ReadOnly),
            ("secretRef", SecretRef))),
        ("csi", S.Object(
            "An ephemeral volume provided by a CSI driver.",
            ("driver", S.String("Name of the CSI driver.")),
            ("readOnly", S.Boolean("Mounts read-only; false by default.")),
            ("fsType", S.String("Filesystem type passed to the driver, e.g. ext4.")),
            ("volumeAttributes", S.StringMap("Driver-specific properties.")),
            ("nodePublishSecretRef", SecretRef))
            .Require("driver")),
        ("ephemeral", S.Object(
            "A volume provisioned per pod from a claim template, deleted with the pod.",
            ("volumeClaimTemplate", S.Object(
                "Template of the PersistentVolumeClaim created for the pod, named <pod>-<volume>.",
                ("metadata", MetaSchemas.ObjectMeta.Describe("Labels and annotations copied to the claim; other fields are refused.")),
                ("spec", PersistentVolumeClaimSpec))
                .Require("spec")))),
        ("image", S.Object(
            "An OCI image or artifact mounted read-only.",
            ("reference", S.String("Image or artifact reference, as for a container image.")),
            ("pullPolicy", S.Enum("When the image is pulled; defaults as container imagePullPolicy does.", "Always", "Never", "IfNotPresent")))),
    ];

    private static SchemaNode VolumeProjection => field ??= S.Object(
        "One source of a projected volume; set exactly one field.",
        ("secret", S.Object(
            "Keys of a Secret to project.",
            ("name", ReferentName),
            ("items", S.ListOf(KeyToPath, "Keys to project and their paths; all keys when empty.")),
            ("optional", S.Boolean("Whether the Secret or its keys may be missing.")))),
        ("downwardAPI", S.Object(
            "Pod fields to project.",
            ("items", S.ListOf(DownwardApiFile, "Files to create.")))),
        ("configMap", S.Object(
            "Keys of a ConfigMap to project.",
            ("name", ReferentName),
            ("items", S.ListOf(KeyToPath, "Keys to project and their paths; all keys when empty.")),
            ("optional", S.Boolean("Whether the ConfigMap or its keys may be missing.")))),
        ("serviceAccountToken", S.Object(
            "A token of the pod's service account, rotated by the kubelet.",
            ("audience", S.String("Audience the token is for; defaults to the API server's.")),
            // SetDefaults_ServiceAccountTokenProjection: one hour.
            ("expirationSeconds", S.Int64("Requested lifetime of the token, at least 600 seconds.").WithDefault(JsonValue.Create(3600L))),
            ("path", S.String("Relative path of the token file.")),
            ("user", S.Int64("Owner UID of the token file.")))
            .Require("path")),
        ("clusterTrustBundle", S.Object(
            "Certificates of ClusterTrustBundle objects, written as one PEM file.",
            ("name", S.String("Name of one ClusterTrustBundle; excludes signerName and labelSelector.")),
            ("signerName", S.String("Selects bundles of this signer.")),
            ("labelSelector", MetaSchemas.LabelSelector.Describe("Selects bundles of signerName by label.")),
            ("optional", S.Boolean("Whether the pod may start when no bundle matches.")),
            ("path", S.String("Relative path of the PEM file.")),
            ("user", S.Int64("Owner UID of the file.")))
            .Require("path")),
        ("podCertificate", S.Object(
            "A private key and certificate chain issued to the pod by a signer.",
            ("signerName", S.String("Signer that issues the certificate.")),
            ("keyType", S.String("Kind of key to generate, e.g. ECDSAP256 or ED25519.")),
            ("maxExpirationSeconds", S.Int32("Longest certificate lifetime requested.")),
            ("credentialBundlePath", S.String("Relative path of a file holding the key followed by the chain.")),
            ("keyPath", S.String("Relative path of the private key file.")),
            ("certificateChainPath", S.String("Relative path of the certificate chain file.")),
            ("userAnnotations", S.StringMap("Extra data passed to the signer.")),
            ("user", S.Int64("Owner UID of the files.")))
            .Require("signerName", "keyType")));

    private static SchemaNode FsType => field ??= S.String("Filesystem type to mount, e.g. ext4 or xfs.");

    private static SchemaNode ReadOnly => field ??= S.Boolean("Mounts the volume read-only.");
}
