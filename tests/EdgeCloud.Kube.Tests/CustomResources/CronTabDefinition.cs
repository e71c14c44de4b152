using System.Text.Json.Nodes;

namespace EdgeCloud.Kube.Tests.CustomResources;

/// <summary>A realistic CRD in the shape of the Kubernetes documentation's CronTab example, grown with the features tests need.</summary>
internal static class CronTabDefinition
{
    public const string Json = """
    {
      "apiVersion": "apiextensions.k8s.io/v1",
      "kind": "CustomResourceDefinition",
      "metadata": { "name": "crontabs.stable.example.com" },
      "spec": {
        "group": "stable.example.com",
        "scope": "Namespaced",
        "names": {
          "plural": "crontabs",
          "kind": "CronTab",
          "shortNames": ["ct"],
          "categories": ["all"]
        },
        "versions": [
          {
            "name": "v1",
            "served": true,
            "storage": true,
            "schema": {
              "openAPIV3Schema": {
                "type": "object",
                "description": "A job that runs on a schedule.",
                "properties": {
                  "spec": {
                    "type": "object",
                    "required": ["cronSpec", "image"],
                    "properties": {
                      "cronSpec": { "type": "string", "pattern": "^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$" },
                      "image": { "type": "string", "minLength": 1 },
                      "replicas": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "default": 1 },
                      "concurrencyPolicy": { "type": "string", "enum": ["Allow", "Forbid", "Replace"], "default": "Allow" },
                      "port": { "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] },
                      "env": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                          "type": "object",
                          "required": ["name"],
                          "properties": { "name": { "type": "string" }, "value": { "type": "string" } }
                        }
                      },
                      "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                      "template": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                      "note": { "type": "string", "nullable": true }
                    }
                  },
                  "status": {
                    "type": "object",
                    "properties": {
                      "replicas": { "type": "integer" },
                      "lastScheduleTime": { "type": "string", "format": "date-time" },
                      "selector": { "type": "string" },
                      "conditions": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "properties": {
                            "type": { "type": "string" },
                            "status": { "type": "string" },
                            "lastTransitionTime": { "type": "string", "format": "date-time" }
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "subresources": {
              "status": {},
              "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector" }
            },
            "additionalPrinterColumns": [
              { "name": "Spec", "type": "string", "jsonPath": ".spec.cronSpec", "description": "The cron spec." },
              { "name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas" },
              { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status" },
              { "name": "Image", "type": "string", "jsonPath": ".spec.image", "priority": 1 },
              { "name": "Last Schedule", "type": "date", "jsonPath": ".status.lastScheduleTime" },
              { "name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp" }
            ]
          },
          {
            "name": "v1beta1",
            "served": true,
            "storage": false,
            "deprecated": true,
            "schema": {
              "openAPIV3Schema": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
            }
          }
        ]
      }
    }
    """;

    public static JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>A fresh copy with <paramref name="edit"/> applied, for one broken rule per test.</summary>
    public static JsonObject With(Action<JsonObject> edit)
    {
        var crd = Parse();
        edit(crd);
        return crd;
    }

    public static JsonObject Spec(this JsonObject crd) => crd["spec"]!.AsObject();

    public static JsonObject Version(this JsonObject crd, int index = 0) => crd["spec"]!["versions"]![index]!.AsObject();

    public static JsonObject Schema(this JsonObject crd, int index = 0) => crd.Version(index)["schema"]!["openAPIV3Schema"]!.AsObject();

    public static JsonObject SpecSchema(this JsonObject crd) => crd.Schema()["properties"]!["spec"]!.AsObject();
}
