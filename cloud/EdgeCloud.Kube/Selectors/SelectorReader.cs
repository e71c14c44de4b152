namespace EdgeCloud.Kube.Selectors;

/// <summary>The lexer and parser of the label selector grammar, with upstream's error wording.</summary>
internal sealed class SelectorReader(string text)
{
    private int _position;

    public bool AtEnd
    {
        get
        {
            SkipSpaces();
            return _position >= text.Length;
        }
    }

    public void Expect(char c)
    {
        SkipSpaces();
        if (_position >= text.Length || text[_position] != c)
        {
            throw new SelectorException($"found '{Peek()}', expected: '{c}'");
        }

        _position++;
    }

    public LabelRequirement ReadRequirement()
    {
        SkipSpaces();
        if (Peek() == "!")
        {
            _position++;
            var negated = ReadIdentifier();
            LabelSelector.ValidateKey(negated);
            return new LabelRequirement(negated, "!", []);
        }

        var key = ReadIdentifier();
        LabelSelector.ValidateKey(key);
        SkipSpaces();
        if (_position >= text.Length || text[_position] == ',')
        {
            return new LabelRequirement(key, "exists", []);
        }

        var op = ReadOperator();
        if (op is "in" or "notin")
        {
            var values = ReadValueSet();
            return new LabelRequirement(key, op, values);
        }

        var value = ReadValue();
        if (op is "gt" or "lt" && !long.TryParse(value, out _))
        {
            throw new SelectorException($"unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
        }

        LabelSelector.ValidateValue(value);
        return new LabelRequirement(key, op == "==" ? "=" : op, [value]);
    }

    private string ReadOperator()
    {
        SkipSpaces();
        foreach (var symbol in new[] { "==", "!=", "=", ">", "<" })
        {
            if (string.CompareOrdinal(text, _position, symbol, 0, symbol.Length) == 0)
            {
                _position += symbol.Length;
                return symbol switch { ">" => "gt", "<" => "lt", _ => symbol };
            }
        }

        var word = ReadIdentifier();
        return word switch
        {
            "in" => "in",
            "notin" => "notin",
            _ => throw new SelectorException($"found '{word}', expected: in, notin, =, ==, !=, gt, lt"),
        };
    }

    private List<string> ReadValueSet()
    {
        Expect('(');
        var values = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpaces();
            var value = _position < text.Length && text[_position] is ',' or ')' ? "" : ReadValue();
            LabelSelector.ValidateValue(value);
            values.Add(value);
            SkipSpaces();
            if (Peek() == ")")
            {
                _position++;
                return [.. values];
            }

            Expect(',');
        }
    }

    private string ReadValue()
    {
        SkipSpaces();
        var start = _position;
        while (_position < text.Length && !IsSeparator(text[_position]))
        {
            _position++;
        }

        return text[start.._position];
    }

    private string ReadIdentifier()
    {
        SkipSpaces();
        var start = _position;
        while (_position < text.Length && !IsSeparator(text[_position]) && text[_position] is not ('=' or '!' or '>' or '<'))
        {
            _position++;
        }

        if (_position == start)
        {
            throw new SelectorException($"found '{Peek()}', expected: identifier");
        }

        return text[start.._position];
    }

    private static bool IsSeparator(char c) => char.IsWhiteSpace(c) || c is ',' or '(' or ')';

    private string Peek() => _position < text.Length ? text[_position].ToString() : "";

    private void SkipSpaces()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }
}
