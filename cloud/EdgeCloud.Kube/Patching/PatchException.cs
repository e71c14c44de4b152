namespace EdgeCloud.Kube.Patching;

/// <summary>A patch that cannot be applied. kube-apiserver answers 422 for a patch that fails on the object and 400 for one that does not parse.</summary>
/// <param name="message">What is wrong.</param>
/// <param name="malformed">True when the patch document itself is malformed (400); false when it does not apply to the object (422).</param>
public sealed class PatchException(string message, bool malformed) : Exception(message)
{
    /// <summary>True for a malformed patch (400), false for one that fails on the object (422).</summary>
    public bool Malformed { get; } = malformed;
}
