using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace EdgeCloud.Agent.Pods;

/// <summary>
/// The agent's local memory of its desired state, in one SQLite file: the pods bound to this node as last seen
/// from the cloud, the ConfigMaps and Secrets they reference, and the resourceVersion the pod watch resumes
/// from. With it the agent starts its pods after a reboot without the cloud, and resyncs without duplicates.
/// </summary>
internal sealed class PodCache : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    private PodCache(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when needed) the cache at <paramref name="path"/>.</summary>
    public static PodCache Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS pods (uid TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, object TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS objects (kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, object TEXT NOT NULL, PRIMARY KEY (kind, namespace, name));
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
        return new PodCache(connection);
    }

    /// <summary>Every cached pod.</summary>
    public List<JsonObject> LoadPods()
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT object FROM pods ORDER BY namespace, name";
            using var reader = command.ExecuteReader();
            var pods = new List<JsonObject>();
            while (reader.Read())
            {
                if (JsonNode.Parse(reader.GetString(0)) is JsonObject pod)
                {
                    pods.Add(pod);
                }
            }

            return pods;
        }
    }

    /// <summary>Stores (or replaces) a pod by uid.</summary>
    public void PutPod(string uid, string ns, string name, JsonObject pod) =>
        Execute("INSERT INTO pods (uid, namespace, name, object) VALUES ($a, $b, $c, $d) ON CONFLICT (uid) DO UPDATE SET object = excluded.object", uid, ns, name, pod.ToJsonString());

    /// <summary>Forgets a pod.</summary>
    public void RemovePod(string uid) => Execute("DELETE FROM pods WHERE uid = $a", uid);

    /// <summary>Stores a ConfigMap or Secret a pod references ("configmaps" or "secrets").</summary>
    public void PutObject(string kind, string ns, string name, JsonObject obj) =>
        Execute("INSERT INTO objects (kind, namespace, name, object) VALUES ($a, $b, $c, $d) ON CONFLICT (kind, namespace, name) DO UPDATE SET object = excluded.object", kind, ns, name, obj.ToJsonString());

    /// <summary>A cached ConfigMap or Secret, or null.</summary>
    public JsonObject? GetObject(string kind, string ns, string name)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT object FROM objects WHERE kind = $a AND namespace = $b AND name = $c";
            command.Parameters.AddWithValue("$a", kind);
            command.Parameters.AddWithValue("$b", ns);
            command.Parameters.AddWithValue("$c", name);
            return command.ExecuteScalar() is string text ? JsonNode.Parse(text) as JsonObject : null;
        }
    }

    /// <summary>Forgets a ConfigMap or Secret the cloud says is gone.</summary>
    public void RemoveObject(string kind, string ns, string name) => Execute("DELETE FROM objects WHERE kind = $a AND namespace = $b AND name = $c", kind, ns, name);

    /// <summary>The pod watch's last resourceVersion, or null.</summary>
    public string? ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "SELECT value FROM meta WHERE key = 'podsResourceVersion'";
                return command.ExecuteScalar() as string;
            }
        }
        set => Execute("INSERT INTO meta (key, value) VALUES ('podsResourceVersion', $a) ON CONFLICT (key) DO UPDATE SET value = excluded.value", value ?? "");
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql, params string[] values)
    {
        lock (_lock)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.AddWithValue("$" + (char)('a' + i), values[i]);
            }

            command.ExecuteNonQuery();
        }
    }
}
