namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// Label key and value rules (k8s.io/apimachinery/pkg/util/validation IsQualifiedName and IsValidLabelValue),
/// with the same error texts so that messages match kube-apiserver's.
/// </summary>
internal static class LabelValidation
{
    public const int NameMaxLength = 63;
    public const int ValueMaxLength = 63;
    public const int PrefixMaxLength = 253;

    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string SubdomainFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string ValueFormat = "(" + QualifiedNameFormat + ")?";
    private const string ValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>The problems with <paramref name="key"/> as a label key, empty when it is valid.</summary>
    public static List<string> KeyErrors(string key)
    {
        var errors = new List<string>();
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                {
                    errors.Add("prefix part must be non-empty");
                }
                else
                {
                    if (prefix.Length > PrefixMaxLength)
                    {
                        errors.Add($"prefix part must be no more than {PrefixMaxLength} characters");
                    }

                    if (!IsSubdomain(prefix))
                    {
                        errors.Add("prefix part " + RegexError(SubdomainMessage, SubdomainFormat, "example.com"));
                    }
                }

                break;
            default:
                errors.Add("a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > NameMaxLength)
        {
            errors.Add($"name part must be no more than {NameMaxLength} characters");
        }

        if (!IsQualifiedNamePart(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>The problems with <paramref name="value"/> as a label value, empty when it is valid.</summary>
    public static List<string> ValueErrors(string value)
    {
        var errors = new List<string>();
        if (value.Length > ValueMaxLength)
        {
            errors.Add($"must be no more than {ValueMaxLength} characters");
        }

        if (value.Length > 0 && !IsQualifiedNamePart(value))
        {
            errors.Add(RegexError(ValueMessage, ValueFormat, "MyValue", "my_value", "12345"));
        }

        return errors;
    }

    // Upstream's RegexError joins examples as "'a',  or 'b', " (two spaces): kept so messages compare equal.
    private static string RegexError(string message, string format, params string[] examples)
    {
        var text = message + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                text += " or ";
            }

            text += "'" + examples[i] + "', ";
        }

        return text + "regex used for validation is '" + format + "')";
    }

    private static bool IsQualifiedNamePart(string name)
    {
        if (name.Length == 0 || !IsAsciiAlphanumeric(name[0]) || !IsAsciiAlphanumeric(name[^1]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAsciiAlphanumeric(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSubdomain(string text)
    {
        foreach (var label in text.Split('.'))
        {
            if (label.Length == 0 || !IsLowerAlphanumeric(label[0]) || !IsLowerAlphanumeric(label[^1]))
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!IsLowerAlphanumeric(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsAsciiAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c);

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
