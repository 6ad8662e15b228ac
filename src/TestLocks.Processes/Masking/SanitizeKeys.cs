namespace TestLocks.Processes.Masking;

/// <summary>
/// The keys whose values are masked, as in oslo_utils.strutils <c>_SANITIZE_KEYS</c> (all lower case;
/// matched case-insensitively, with an optional numeric suffix such as <c>password2</c>).
/// </summary>
internal static class SanitizeKeys
{
    public static readonly IReadOnlyList<string> All =
    [
        "adminpass", "admin_pass", "password", "admin_password",
        "auth_token", "new_pass", "auth_password", "secret_uuid",
        "secret", "sys_pswd", "token", "configdrive",
        "chappassword", "encrypted_key", "private_key",
        "encryption_key_id", "fernetkey", "sslkey", "passphrase",
        "cephclusterfsid", "octaviaheartbeatkey", "rabbitcookie",
        "cephmanilaclientkey", "pacemakerremoteauthkey",
        "designaterndckey", "cephadminkey", "heatauthencryptionkey",
        "cephclientkey", "keystonecredential",
        "barbicansimplecryptokek", "cephrgwkey", "swifthashsuffix",
        "migrationsshkey", "cephmdskey", "cephmonkey",
    ];
}
