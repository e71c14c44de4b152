namespace EdgeCloud.Kube.Selectors;

/// <summary>
/// The label selector grammar of k8s.io/apimachinery/pkg/labels (selector.go), token by token, so that the same
/// strings are accepted and the same errors reported:
/// <code>
///   selector    := requirement ( "," requirement )*  |  ""
///   requirement := [ "!" ] KEY  |  KEY op VALUE  |  KEY ( "in" | "notin" ) "(" VALUES ")"
///   op          := "=" | "==" | "!=" | "&gt;" | "&lt;"
/// </code>
/// Whitespace (space, tab, CR, LF) separates tokens and is otherwise ignored.
/// </summary>
internal sealed class LabelSelectorParser
{
    // The error wording of parseOperator lists selection's binary operators in this order.
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly List<(Token Kind, string Text)> _tokens;
    private int _position;

    private LabelSelectorParser(string selector)
    {
        _tokens = Lex(selector);
    }

    private enum Token
    {
        EndOfString,
        ClosedPar,
        Comma,
        DoesNotExist,
        DoubleEquals,
        Equals,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenPar,
    }

    // Whether "in" and "notin" are keywords: they are only where an operator is expected, so a key or value
    // may be called "in" (upstream's KeyAndOperator and Values contexts).
    private enum Context
    {
        KeyAndOperator,
        Values,
    }

    public static List<LabelRequirement> Parse(string selector)
    {
        var requirements = new LabelSelectorParser(selector).ParseRequirements();

        // labels.Parse sorts by key, so equal selectors print equally whatever order they were written in.
        return [.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    private List<LabelRequirement> ParseRequirements()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (token, text) = Lookahead(Context.Values);
            switch (token)
            {
                case Token.Identifier or Token.DoesNotExist:
                    try
                    {
                        requirements.Add(ParseRequirement());
                    }
                    catch (SelectorException e)
                    {
                        throw new SelectorException("unable to parse requirement: " + e.Message, e);
                    }

                    var (next, nextText) = Consume(Context.Values);
                    switch (next)
                    {
                        case Token.EndOfString:
                            return requirements;
                        case Token.Comma:
                            var (afterComma, afterCommaText) = Lookahead(Context.Values);
                            if (afterComma is not (Token.Identifier or Token.DoesNotExist))
                            {
                                throw new SelectorException($"found '{afterCommaText}', expected: identifier after ','");
                            }

                            break;
                        default:
                            throw new SelectorException($"found '{nextText}', expected: ',' or 'end of string'");
                    }

                    break;
                case Token.EndOfString:
                    return requirements;
                default:
                    throw new SelectorException($"found '{text}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, unary) = ParseKeyAndInferOperator();
        if (unary is { } op)
        {
            return LabelRequirement.Create(key, op);
        }

        var @operator = ParseOperator();
        var values = @operator is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return LabelRequirement.Create(key, @operator, values);
    }

    private (string Key, SelectorOperator? Unary) ParseKeyAndInferOperator()
    {
        SelectorOperator? unary = null;
        var (token, text) = Consume(Context.Values);
        if (token == Token.DoesNotExist)
        {
            unary = SelectorOperator.DoesNotExist;
            (token, text) = Consume(Context.Values);
        }

        if (token != Token.Identifier)
        {
            throw new SelectorException($"found '{text}', expected: identifier");
        }

        var keyErrors = LabelValidation.KeyErrors(text);
        if (keyErrors.Count > 0)
        {
            // Upstream validates the key against a nil field path, which prints as "<nil>"; kept so that the
            // message is the one kubectl users search for.
            throw new SelectorException(LabelRequirement.Invalid("<nil>", text, keyErrors));
        }

        if (unary is null && Lookahead(Context.Values).Kind is Token.EndOfString or Token.Comma)
        {
            unary = SelectorOperator.Exists;
        }

        return (text, unary);
    }

    private SelectorOperator ParseOperator()
    {
        var (token, text) = Consume(Context.KeyAndOperator);
        return token switch
        {
            Token.In => SelectorOperator.In,
            Token.NotIn => SelectorOperator.NotIn,
            Token.Equals => SelectorOperator.Equals,
            Token.DoubleEquals => SelectorOperator.DoubleEquals,
            Token.NotEquals => SelectorOperator.NotEquals,
            Token.GreaterThan => SelectorOperator.GreaterThan,
            Token.LessThan => SelectorOperator.LessThan,
            _ => throw new SelectorException($"found '{text}', expected: {BinaryOperators}"),
        };
    }

    private List<string> ParseValues()
    {
        var (token, text) = Consume(Context.Values);
        if (token != Token.OpenPar)
        {
            throw new SelectorException($"found '{text}' expected: '('");
        }

        (token, text) = Lookahead(Context.Values);
        switch (token)
        {
            case Token.Identifier or Token.Comma:
                var values = ParseIdentifierList();
                if (Consume(Context.Values).Kind != Token.ClosedPar)
                {
                    throw new SelectorException($"found '{text}', expected: ')'");
                }

                return values;

            // "a in ()" selects the empty value, as upstream.
            case Token.ClosedPar:
                Consume(Context.Values);
                return [""];
            default:
                throw new SelectorException($"found '{text}', expected: ',', ')' or identifier");
        }
    }

    // Empty entries are empty values: "(,a)", "(a,)" and "(a,,b)" all include "".
    private List<string> ParseIdentifierList()
    {
        var values = new List<string>();
        while (true)
        {
            var (token, text) = Consume(Context.Values);
            switch (token)
            {
                case Token.Identifier:
                    values.Add(text);
                    var (next, nextText) = Lookahead(Context.Values);
                    switch (next)
                    {
                        case Token.Comma:
                            continue;
                        case Token.ClosedPar:
                            return values;
                        default:
                            throw new SelectorException($"found '{nextText}', expected: ',' or ')'");
                    }

                case Token.Comma:
                    if (values.Count == 0)
                    {
                        values.Add("");
                    }

                    var afterComma = Lookahead(Context.Values).Kind;
                    if (afterComma == Token.ClosedPar)
                    {
                        values.Add("");
                        return values;
                    }

                    if (afterComma == Token.Comma)
                    {
                        Consume(Context.Values);
                        values.Add("");
                    }

                    break;
                default:
                    throw new SelectorException($"found '{text}', expected: ',', or identifier");
            }
        }
    }

    // "a=" (value omitted before "," or the end) means the empty value.
    private List<string> ParseExactValue()
    {
        if (Lookahead(Context.Values).Kind is Token.EndOfString or Token.Comma)
        {
            return [""];
        }

        var (token, text) = Consume(Context.Values);
        if (token == Token.Identifier)
        {
            return [text];
        }

        throw new SelectorException($"found '{text}', expected: identifier");
    }

    private (Token Kind, string Text) Lookahead(Context context)
    {
        var (token, text) = _tokens[_position];
        return (context == Context.Values && token is Token.In or Token.NotIn ? Token.Identifier : token, text);
    }

    private (Token Kind, string Text) Consume(Context context)
    {
        var item = Lookahead(context);
        if (_position < _tokens.Count - 1)
        {
            _position++;
        }

        return item;
    }

    private static List<(Token Kind, string Text)> Lex(string input)
    {
        var tokens = new List<(Token, string)>();
        var position = 0;
        while (true)
        {
            while (position < input.Length && IsWhitespace(input[position]))
            {
                position++;
            }

            if (position >= input.Length)
            {
                tokens.Add((Token.EndOfString, ""));
                return tokens;
            }

            var start = position;
            if (IsSpecialSymbol(input[position]))
            {
                // The longest run of symbol characters that is still an operator: "!=" and "==" are one token,
                // "=(" is "=" then "(".
                var kind = SymbolToken(input[position].ToString())!.Value;
                position++;
                while (position < input.Length && IsSpecialSymbol(input[position])
                    && SymbolToken(input[start..(position + 1)]) is { } longer)
                {
                    kind = longer;
                    position++;
                }

                tokens.Add((kind, input[start..position]));
            }
            else
            {
                while (position < input.Length && !IsSpecialSymbol(input[position]) && !IsWhitespace(input[position]))
                {
                    position++;
                }

                var word = input[start..position];
                tokens.Add((word switch { "in" => Token.In, "notin" => Token.NotIn, _ => Token.Identifier }, word));
            }
        }
    }

    private static Token? SymbolToken(string text) => text switch
    {
        ")" => Token.ClosedPar,
        "," => Token.Comma,
        "!" => Token.DoesNotExist,
        "==" => Token.DoubleEquals,
        "=" => Token.Equals,
        ">" => Token.GreaterThan,
        "<" => Token.LessThan,
        "!=" => Token.NotEquals,
        "(" => Token.OpenPar,
        _ => null,
    };

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsSpecialSymbol(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}
