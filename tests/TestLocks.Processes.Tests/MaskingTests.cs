using TestLocks.Processes.Tests.Support;

namespace TestLocks.Processes.Tests;

public sealed class MaskingTests
{
    private const string Secret = "s3cr3t";

    // Every form oslo_utils.strutils.mask_password documents or covers with a pattern.
    public static TheoryData<string[]> SecretForms => new()
    {
        { ["--password", Secret] },
        { ["--password", Secret, "--user", "bob"] },
        { [$"password={Secret}"] },
        { [$"password = {Secret}"] },
        { [$"PASSWORD={Secret}"] },
        { [$"password2={Secret}"] },
        { [$"mysql://root:x@db?password={Secret}&x=1"] },
        { [$"password=\"{Secret} two\""] },
        { [$"password='{Secret} two'"] },
        { [$"password \"{Secret}\""] },
        { [$"{{\"password\": \"{Secret}\"}}"] },
        { [$"{{\"user\": \"bob\", \"admin_password\" : \"{Secret}\"}}"] },
        { [$"{{'password': '{Secret}'}}"] },
        { [$"{{u'password': u'{Secret}'}}"] },
        { [$"'original_password' : '{Secret}'"] },
        { [$"'adminPass' : '{Secret}'"] },
        { [$"<password>{Secret}</password>"] },
        { [$"<request><auth_token>{Secret}</auth_token></request>"] },
        { [$"['password', '--opt', '{Secret}']"] },
        { ["password", "--opt", Secret] },
        { ["--os-password", Secret, "--os-auth-token", Secret] }, // beyond oslo, which leaves these visible
    };

    [Theory]
    [MemberData(nameof(SecretForms))]
    public async Task A_secret_is_masked_in_the_log_and_in_the_exception(string[] arguments)
    {
        var log = new LogSink();
        var options = new ExecuteOptions { Logger = log, LogErrors = LogErrors.All };

        // The command prints its arguments to stdout and stderr, then fails.
        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo \"$*\"; echo \"$*\" >&2; exit 3", "sh", .. arguments], options, Ct));

        Assert.DoesNotContain(Secret, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.Command, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failure.StandardError, StringComparison.Ordinal);
        Assert.Contains("***", failure.Command, StringComparison.Ordinal);
        Assert.Contains("***", failure.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("***", failure.StandardError, StringComparison.Ordinal);
        Assert.True(log.Records.Count >= 4, log.Text);
        Assert.DoesNotContain(Secret, log.Text, StringComparison.Ordinal);
    }

    public static TheoryData<string> Keys => new()
    {
        "adminpass", "admin_pass", "password", "admin_password", "auth_token", "new_pass", "auth_password", "secret_uuid",
        "secret", "sys_pswd", "token", "configdrive", "chappassword", "encrypted_key", "private_key", "encryption_key_id",
        "fernetkey", "sslkey", "passphrase", "cephclusterfsid", "octaviaheartbeatkey", "rabbitcookie", "cephmanilaclientkey",
        "pacemakerremoteauthkey", "designaterndckey", "cephadminkey", "heatauthencryptionkey", "cephclientkey",
        "keystonecredential", "barbicansimplecryptokek", "cephrgwkey", "swifthashsuffix", "migrationsshkey", "cephmdskey",
        "cephmonkey",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task Every_key_oslo_masks_is_masked(string key)
    {
        var log = new LogSink();

        var failure = await Assert.ThrowsAsync<ProcessExecutionException>(() => ProcessUtils.ExecuteAsync(
            ["sh", "-c", "echo \"$1\" >&2; exit 1", "sh", $"{key}={Secret}", $"--{key}", Secret, $"<{key}>{Secret}</{key}>"],
            new ExecuteOptions { Logger = log }, Ct));

        Assert.Equal($"sh -c echo \"$1\" >&2; exit 1 sh {key}=*** --{key} *** <{key}>***</{key}>", failure.Command);
        Assert.Equal($"{key}=***\n", failure.StandardError);
        Assert.DoesNotContain(Secret, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_line_of_a_successful_command_is_masked_in_the_log_but_its_output_is_mine()
    {
        var log = new LogSink();

        var result = await ProcessUtils.ExecuteAsync(["echo", "--password", Secret], new ExecuteOptions { Logger = log }, Ct);

        Assert.Equal($"--password {Secret}\n", result.StandardOutput);
        Assert.Equal("Running cmd (subprocess): echo --password ***", log.Records[0].Message);
        Assert.DoesNotContain(Secret, log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryCmd_reports_a_failure_with_its_secrets_masked()
    {
        var (stdout, stderr) = await ProcessUtils.TryCmdAsync(["sh", "-c", $"echo token={Secret} >&2; exit 1"], cancellationToken: Ct);

        Assert.Equal("", stdout);
        Assert.Contains("Stderr: 'token=***\\n'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'adminPass' : 'aaaaa'", "'adminPass' : '***'")]
    [InlineData("'admin_pass' : 'aaaaa'", "'admin_pass' : '***'")]
    [InlineData("\"password\" : \"aaaaa\"", "\"password\" : \"***\"")]
    [InlineData("'original_password' : 'aaaaa'", "'original_password' : '***'")]
    [InlineData("u'original_password' :   u'aaaaa'", "u'original_password' :   u'***'")]
    [InlineData("mysql --password hunter2 -u root", "mysql --password *** -u root")]
    [InlineData("user=bob host=db", "user=bob host=db")]
    public void I_can_mask_any_text_like_oslo_mask_password(string message, string masked)
    {
        Assert.Equal(masked, ProcessUtils.MaskPassword(message));
    }

    [Fact]
    public void I_can_choose_what_replaces_a_secret()
    {
        Assert.Equal("password=$1?", ProcessUtils.MaskPassword("password=hunter2", "$1?"));
    }
}
