using System.Collections;

namespace Course.Notebooks;

/// <summary>
/// The <c>data</c> of a display_data or execute_result output: mime type -> representation, in
/// insertion order. Text mime types (text/plain, text/html, image/svg+xml, image/png as base64)
/// hold their text; JSON mime types (application/json, anything ending in +json) hold the JSON
/// text of the value, because nbformat stores those as JSON rather than as lines of text.
/// </summary>
public sealed class MimeBundle : IReadOnlyDictionary<string, string>
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>Creates an empty bundle.</summary>
    public MimeBundle() { }

    /// <summary>Creates a bundle holding <paramref name="entries"/>, in order.</summary>
    public MimeBundle(IEnumerable<KeyValuePair<string, string>> entries)
    {
        foreach (var (mimeType, value) in entries) Set(mimeType, value);
    }

    /// <summary>Adds or replaces the representation for <paramref name="mimeType"/>.</summary>
    public void Set(string mimeType, string value)
    {
        var index = _entries.FindIndex(entry => entry.Key == mimeType);
        if (index >= 0) _entries[index] = new(mimeType, value);
        else _entries.Add(new(mimeType, value));
    }

    /// <summary>True when nbformat stores this mime type's value as JSON rather than text.</summary>
    public static bool IsJsonMimeType(string mimeType) =>
        mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);

    public string this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The output has no '{key}' representation.");

    public IEnumerable<string> Keys => _entries.Select(entry => entry.Key);
    public IEnumerable<string> Values => _entries.Select(entry => entry.Value);
    public int Count => _entries.Count;
    public bool ContainsKey(string key) => _entries.Exists(entry => entry.Key == key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
    {
        var index = _entries.FindIndex(entry => entry.Key == key);
        value = index >= 0 ? _entries[index].Value : null;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
