using System.Buffers.Text;
using System.Security.Cryptography;
using Dundie.Settings;
using Microsoft.Extensions.Options;

namespace Dundie.Auth;

/// <summary>Fills in a missing signing key in development and <c>dundie up</c>: generated once, kept in the data folder.</summary>
/// <remarks>
/// Keeping it on disk means tokens survive a restart. It is never logged. Outside development no key is
/// generated, and <see cref="SecurityOptions"/> validation stops the start-up instead.
/// </remarks>
internal sealed class GeneratedSecretKey(IOptions<DataOptions> data, IHostEnvironment environment)
    : IPostConfigureOptions<SecurityOptions>
{
    /// <summary>The key file's name in the data folder.</summary>
    public const string FileName = "secret.key";

    public void PostConfigure(string? name, SecurityOptions options)
    {
        if (!string.IsNullOrEmpty(options.SecretKey) || !(options.GenerateSecretKey || environment.IsDevelopment()))
        {
            return;
        }
        options.SecretKey = LoadOrCreate(Path.Combine(data.Value.FullPath, FileName));
    }

    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, fileOptions))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48))));
        }
        try
        {
            // The rename is atomic: a process starting beside this one reads a whole key or none.
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
        return File.ReadAllText(path).Trim();
    }
}
