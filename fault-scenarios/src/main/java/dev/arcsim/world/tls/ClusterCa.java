package dev.arcsim.world.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A certificate authority made for one run, and the API server certificate it signs (for 127.0.0.1 and the names a
 * pod's in-cluster config uses). Nothing is written to disk but what a caller writes: the CA certificate a pod gets
 * as {@code ca.crt} and a kubeconfig carries. The keys live and die with the run.
 */
public final class ClusterCa {

    /** Long enough for a soak; a run that outlives it fails its TLS handshakes, visibly. */
    static final Duration VALIDITY = Duration.ofDays(30);

    private final X509Certificate caCertificate;
    private final X509Certificate serverCertificate;
    private final KeyPair serverKey;

    private ClusterCa(X509Certificate caCertificate, X509Certificate serverCertificate, KeyPair serverKey) {
        this.caCertificate = caCertificate;
        this.serverCertificate = serverCertificate;
        this.serverKey = serverKey;
    }

    /** @param now the run's clock: the certificates are valid from an hour before it (clock skew) for {@link #VALIDITY} */
    public static ClusterCa create(Instant now) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPair caKey = ecKey(random);
            KeyPair serverKey = ecKey(random);
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(VALIDITY));
            X500Name caName = new X500Name("CN=arcsim run CA");
            var ca = new JcaX509v3CertificateBuilder(caName, serial(random), from, to, caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate caCert = sign(ca.build(signer(caKey)));
            GeneralNames names = new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.dNSName, "kubernetes"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc"),
                    new GeneralName(GeneralName.dNSName, "kubernetes.default.svc.cluster.local")});
            var server = new JcaX509v3CertificateBuilder(caCert, serial(random), from, to,
                    new X500Name("CN=kube-apiserver"), serverKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, names);
            return new ClusterCa(caCert, sign(server.build(signer(caKey))), serverKey);
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("could not make the run's cluster CA: " + e.getMessage(), e);
        }
    }

    /** The CA certificate in PEM, as a pod's {@code ca.crt} and a kubeconfig's {@code certificate-authority-data}. */
    public String caPem() {
        return pem(caCertificate);
    }

    /** The API server certificate and its CA, in PEM: a real kube-apiserver's {@code --tls-cert-file}. */
    public String serverCertificatePem() {
        return pem(serverCertificate) + pem(caCertificate);
    }

    /** The API server certificate's private key, PKCS#8 PEM: {@code --tls-private-key-file}. Never log it. */
    public String serverKeyPem() {
        return pemBlock("PRIVATE KEY", serverKey.getPrivate().getEncoded());
    }

    /** A PEM block of {@code der}. */
    public static String pemBlock(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Serves the API server certificate. */
    public SSLContext serverContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("apiserver", serverKey.getPrivate(), none, new Certificate[] {serverCertificate, caCertificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not serve the API server certificate: " + e.getMessage(), e);
        }
    }

    /** Trusts this CA only: what a client of the API server uses. */
    public SSLContext clientContext() {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", caCertificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("could not trust the run's CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKey(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).abs().add(BigInteger.ONE);
    }

    private static org.bouncycastle.operator.ContentSigner signer(KeyPair key) throws OperatorCreationException {
        return new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
    }

    private static X509Certificate sign(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static String pem(X509Certificate cert) {
        try {
            return pemBlock("CERTIFICATE", cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
