namespace EdgeCloud.Controllers.Scheduling;

/// <summary>A pod's toleration (core/v1 Toleration).</summary>
/// <param name="Key">The taint key it matches; empty matches every key (with <see cref="Exists"/>).</param>
/// <param name="Operator"><see cref="Equal"/> (the default when empty) or <see cref="Exists"/>.</param>
/// <param name="Value">The value an <see cref="Equal"/> toleration requires.</param>
/// <param name="Effect">The effect it matches; empty matches every effect.</param>
public sealed record Toleration(string Key, string Operator, string Value, string Effect)
{
    /// <summary>The taint's value must equal the toleration's.</summary>
    public const string Equal = "Equal";

    /// <summary>Any value of the key is tolerated.</summary>
    public const string Exists = "Exists";

    /// <summary>True when this toleration tolerates <paramref name="taint"/>, with the rules of core/v1 Toleration.ToleratesTaint.</summary>
    public bool Tolerates(Taint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        if (Effect.Length > 0 && Effect != taint.Effect)
        {
            return false;
        }

        if (Key.Length > 0 && Key != taint.Key)
        {
            return false;
        }

        return Operator switch
        {
            "" or Equal => Value == taint.Value,
            Exists => true,
            _ => false,
        };
    }
}
