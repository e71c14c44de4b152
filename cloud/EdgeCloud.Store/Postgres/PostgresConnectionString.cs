using Npgsql;

namespace EdgeCloud.Store.Postgres;

/// <summary>
/// Accepts what operators pass as a datastore endpoint: an Npgsql connection string, or a URL in the form K3s
/// documents, <c>postgres://user:password@host:port/database?sslmode=require</c>.
/// </summary>
internal static class PostgresConnectionString
{
    public static string Normalize(string endpoint)
    {
        if (!endpoint.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !endpoint.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(endpoint).ConnectionString;
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"the PostgreSQL datastore \"{Redact(endpoint)}\" is neither a postgres:// URL nor a valid connection string: {ex.Message}", nameof(endpoint), ex);
            }
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"the PostgreSQL datastore URL \"{Redact(endpoint)}\" is malformed; expected postgres://user:password@host:port/database", nameof(endpoint));
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var name = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
            switch (name.ToLowerInvariant())
            {
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true);
                    break;
                default:
                    builder[name] = value;
                    break;
            }
        }

        return builder.ConnectionString;
    }

    private static string Redact(string endpoint)
    {
        // Never echo a password into an error message or log.
        var at = endpoint.LastIndexOf('@');
        var scheme = endpoint.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && at > scheme)
        {
            return string.Concat(endpoint.AsSpan(0, scheme + 3), "***", endpoint.AsSpan(at));
        }

        return endpoint.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(connection string with password)" : endpoint;
    }
}
