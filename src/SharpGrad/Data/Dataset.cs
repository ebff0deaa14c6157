namespace SharpGrad.Data;

/// <summary>
/// A labelled classification data set held in memory as plain arrays: one row of
/// <see cref="FeatureSize"/> floats and one class label per sample.
/// </summary>
public sealed class Dataset
{
    private readonly int[] _sampleShape;

    /// <summary>Creates a data set, checking that the arrays agree with each other.</summary>
    /// <param name="features">Row-major <c>Count × FeatureSize</c> values; kept, not copied.</param>
    /// <param name="labels">One label per sample, each in <c>[0, classCount)</c>; kept, not copied.</param>
    /// <param name="sampleShape">The shape of one sample, e.g. <c>[1, 28, 28]</c> (channels, height, width) for images; each entry at least 1.</param>
    /// <param name="classCount">The number of classes, at least 1.</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">The shape is empty, the lengths disagree, or a label is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> or a shape entry is below 1.</exception>
    public Dataset(float[] features, int[] labels, int[] sampleShape, int classCount)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), $"Dataset: the class count must be at least 1, not {classCount}.");
        if (sampleShape.Length == 0)
        {
            throw new ArgumentException("The sample shape must have at least one dimension.", nameof(sampleShape));
        }

        long featureSize = 1;
        foreach (int d in sampleShape)
        {
            // One line naming the shape, not .NET's two-line "sampleShape ('0') must be greater than or equal to '1'. Actual value was 0."
            if (d < 1)
                throw new ArgumentOutOfRangeException(nameof(sampleShape), $"Dataset: every dimension of the sample shape {Shapes.Format(sampleShape)} must be at least 1.");
            featureSize *= d;
            if (featureSize > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(sampleShape), $"Dataset: a sample of shape {Shapes.Format(sampleShape)} holds more than the {Array.MaxLength} values an array can.");
        }

        if ((long)labels.Length * featureSize != features.Length)
        {
            throw new ArgumentException(
                $"{labels.Length} labels with samples of shape [{string.Join(", ", sampleShape)}] need " +
                $"{(long)labels.Length * featureSize} feature values, but {features.Length} were given.",
                nameof(features));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException(
                    $"Label {labels[i]} at index {i} is outside [0, {classCount}).", nameof(labels));
            }
        }

        Features = features;
        Labels = labels;
        _sampleShape = (int[])sampleShape.Clone();
        FeatureSize = (int)featureSize;
        ClassCount = classCount;
    }

    /// <summary>The features, row-major <c>Count × FeatureSize</c>; for images, pixels scaled to [0, 1].</summary>
    public float[] Features { get; }

    /// <summary>The class label of each sample, in <c>[0, ClassCount)</c>.</summary>
    public int[] Labels { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The number of values per sample: the product of <see cref="SampleShape"/>.</summary>
    public int FeatureSize { get; }

    /// <summary>The shape of one sample, e.g. <c>[1, 28, 28]</c> (channels, height, width). A copy.</summary>
    public int[] SampleShape => (int[])_sampleShape.Clone();

    /// <summary>The number of classes (10 for MNIST).</summary>
    public int ClassCount { get; }

    /// <summary>The features of sample <paramref name="index"/>, without copying.</summary>
    /// <param name="index">A sample index in <c>[0, Count)</c>.</param>
    /// <returns>A span of <see cref="FeatureSize"/> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ReadOnlySpan<float> GetFeatures(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Features.AsSpan(index * FeatureSize, FeatureSize);
    }
}
