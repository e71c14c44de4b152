using EdgeCloud.Kube.Schema;

namespace EdgeCloud.Kube.Tests.Patching;

/// <summary>Small pod and deployment schemas with the patch metadata of the real kinds.</summary>
internal static class PatchTestSchemas
{
    public static readonly SchemaNode Metadata = Schemas.Object("metadata",
        ("name", Schemas.String()),
        ("labels", Schemas.StringMap()),
        ("annotations", Schemas.StringMap()),
        ("finalizers", Schemas.SetOf(Schemas.String())));

    public static readonly SchemaNode Container = Schemas.Object("container",
        ("name", Schemas.String()),
        ("image", Schemas.String()),
        ("args", Schemas.ListOf(Schemas.String())),
        ("ports", Schemas.KeyedList(Schemas.Object(null, ("containerPort", Schemas.Int32()), ("protocol", Schemas.String()), ("name", Schemas.String())), "containerPort")),
        ("env", Schemas.KeyedList(Schemas.Object(null, ("name", Schemas.String()), ("value", Schemas.String())), "name")),
        ("resources", Schemas.Object(null, ("limits", Schemas.MapOf(Schemas.Quantity())), ("requests", Schemas.MapOf(Schemas.Quantity())))));

    public static readonly SchemaNode PodSpec = Schemas.Object("pod spec",
        ("containers", Schemas.KeyedList(Container, "name")),
        ("volumes", Schemas.KeyedList(Schemas.Object(null,
            ("name", Schemas.String()),
            ("emptyDir", Schemas.Object(null, ("medium", Schemas.String()))),
            ("hostPath", Schemas.Object(null, ("path", Schemas.String())))), "name") with { PatchStrategy = "merge,retainKeys" }),
        ("tolerations", Schemas.ListOf(Schemas.Object(null, ("key", Schemas.String()), ("effect", Schemas.String())))),
        ("nodeSelector", Schemas.StringMap()),
        ("config", Schemas.Any()));

    public static readonly SchemaNode Pod = Schemas.Object("pod",
        ("apiVersion", Schemas.String()),
        ("kind", Schemas.String()),
        ("metadata", Metadata),
        ("spec", PodSpec));

    public static readonly SchemaNode Deployment = Schemas.Object("deployment",
        ("metadata", Metadata),
        ("spec", Schemas.Object(null,
            ("replicas", Schemas.Int32()),
            ("strategy", Schemas.Object(null,
                ("type", Schemas.String()),
                ("rollingUpdate", Schemas.Object(null, ("maxSurge", Schemas.IntOrString()), ("maxUnavailable", Schemas.IntOrString())))) with { PatchStrategy = "retainKeys" }),
            ("template", Schemas.Object(null, ("metadata", Metadata), ("spec", PodSpec))))));
}
