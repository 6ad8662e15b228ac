using System.Text.Json;
using System.Text.Json.Serialization;

namespace TestLocks.Backends.Server;

/// <summary>
/// A holder record kept on the server next to the lock: who took it and since when, as one JSON object in the
/// layout of TestLocks' lock file records (<c>{"testlocks":1,"pid":42,"host":"ci-3","mode":"write","since":"...","owner":"...","token":17}</c>; the
/// fencing token only once the acquire has it),
/// so people and tools read one format whatever the backend.
/// </summary>
internal static class HolderJson
{
    public static string Write(LockHolder holder) => JsonSerializer.Serialize(
        new Record(1, holder.ProcessId, holder.Host, holder.Mode == LockMode.Read ? "read" : "write", holder.Since ?? DateTimeOffset.UtcNow, holder.Owner, holder.FencingToken, holder.SlotOf, holder.Slots),
        HolderJsonContext.Default.Record);

    /// <summary>Reads a record, or null when <paramref name="json"/> is not one.</summary>
    public static LockHolder? Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            var r = JsonSerializer.Deserialize(json, HolderJsonContext.Default.Record);
            if (r is null || r.Testlocks != 1) return null;
            return new LockHolder(r.Pid, r.Host, string.IsNullOrEmpty(r.Owner) ? null : r.Owner, r.Since, r.Mode == "read" ? LockMode.Read : LockMode.Write)
            {
                FencingToken = r.Token,
                SlotOf = r.Of,
                Slots = r.Slots,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal sealed record Record(
        [property: JsonPropertyName("testlocks")] int Testlocks,
        [property: JsonPropertyName("pid")] int? Pid,
        [property: JsonPropertyName("host")] string? Host,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("since")] DateTimeOffset Since,
        [property: JsonPropertyName("owner")] string? Owner,
        [property: JsonPropertyName("token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Token = null,
        [property: JsonPropertyName("of"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Of = null,
        [property: JsonPropertyName("slots"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Slots = null);
}

[JsonSerializable(typeof(HolderJson.Record))]
internal sealed partial class HolderJsonContext : JsonSerializerContext;
