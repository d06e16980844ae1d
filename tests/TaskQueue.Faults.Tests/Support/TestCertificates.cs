using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>A throwaway CA and a server certificate it signed for 127.0.0.1, as PEM files in a folder, made with
/// .NET's <see cref="CertificateRequest"/> (no openssl needed); and a second CA that signed nothing, for "untrusted".</summary>
public sealed class TestCertificates
{
    private TestCertificates(string folder)
    {
        CaFile = Path.Combine(folder, "ca.pem");
        ServerCertificateFile = Path.Combine(folder, "server.pem");
        ServerKeyFile = Path.Combine(folder, "server.key");
        OtherCaFile = Path.Combine(folder, "other-ca.pem");
    }

    /// <summary>The CA that signed the server's certificate.</summary>
    public string CaFile { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>A CA that did not sign the server's certificate.</summary>
    public string OtherCaFile { get; }

    /// <summary>Makes the files in <paramref name="folder"/>, valid for an hour.</summary>
    public static TestCertificates Create(string folder)
    {
        var files = new TestCertificates(folder);
        var (notBefore, notAfter) = (DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=TaskQueue fault suite CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(8));

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=Some other CA", otherKey, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);

        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(files.ServerCertificateFile, server.ExportCertificatePem());
        File.WriteAllText(files.ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(files.OtherCaFile, other.ExportCertificatePem());
        // redis-server reads the key; nobody else on the machine needs to.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(files.ServerKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return files;
    }

    /// <summary>The redis-server settings that serve TLS with these files (clients need no certificate of their own).</summary>
    public string[] ServerSettings() =>
        ["--tls-cert-file", ServerCertificateFile, "--tls-key-file", ServerKeyFile, "--tls-ca-cert-file", CaFile, "--tls-auth-clients", "no"];
}
