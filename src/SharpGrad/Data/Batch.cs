namespace SharpGrad.Data;

/// <summary>
/// One mini-batch from a <see cref="DataLoader"/>: <paramref name="Count"/> samples, their
/// features row-major in <paramref name="Features"/> (<c>Count × FeatureSize</c>) and their labels.
/// </summary>
/// <remarks>
/// The arrays belong to the loader and are reused: the next batch of the same size overwrites
/// them. Copy anything that must outlive the current iteration step.
/// </remarks>
/// <param name="Features">Exactly <c>Count × FeatureSize</c> values.</param>
/// <param name="Labels">Exactly <paramref name="Count"/> labels.</param>
/// <param name="Count">The number of samples in this batch.</param>
public readonly record struct Batch(float[] Features, int[] Labels, int Count);
