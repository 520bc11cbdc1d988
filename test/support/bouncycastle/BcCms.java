/*
 * CMS EnvelopedData with BouncyCastle, as KS's Java clients and eFormidling's integration point
 * do it (docs/interfaces.md §12): the independent implementation the interop tests run.
 *
 *   java -cp bcprov.jar:bcpkix.jar:bcutil.jar BcCms.java encrypt CERT.pem oaep-sha256|pkcs1 < plain > cms
 *   java -cp ... BcCms.java decrypt KEY.pem CERT.pem < cms > plain
 *
 * Encryption streams BER (CMSEnvelopedDataStreamGenerator), AES-256-CBC content, the key
 * wrapped with RSAES-OAEP (SHA-256, MGF1-SHA-256) or RSA PKCS#1 v1.5. Decryption streams
 * (CMSEnvelopedDataParser) and picks the recipient by the certificate.
 */
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FileReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataParser;
import org.bouncycastle.cms.CMSEnvelopedDataStreamGenerator;
import org.bouncycastle.cms.CMSTypedStream;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientId;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;

public class BcCms {
  public static void main(String[] args) throws Exception {
    Security.addProvider(new BouncyCastleProvider());
    OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    if (args[0].equals("encrypt")) encrypt(args[1], args[2], out);
    else if (args[0].equals("decrypt")) decrypt(args[1], args[2], out);
    else if (args[0].equals("unzip")) unzip(args[1], args[2], out);
    else throw new IllegalArgumentException("encrypt, decrypt or unzip");
    out.flush();
  }

  static X509Certificate certificate(String path) throws Exception {
    try (PEMParser pem = new PEMParser(new FileReader(path))) {
      X509CertificateHolder holder = (X509CertificateHolder) pem.readObject();
      return new JcaX509CertificateConverter().setProvider("BC").getCertificate(holder);
    }
  }

  static void encrypt(String certPath, String transport, OutputStream out) throws Exception {
    X509Certificate cert = certificate(certPath);
    CMSEnvelopedDataStreamGenerator generator = new CMSEnvelopedDataStreamGenerator();
    if (transport.equals("oaep-sha256")) {
      AlgorithmIdentifier oaep = new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
          PKCSObjectIdentifiers.id_RSAES_OAEP,
          new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
      generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(cert, oaep).setProvider("BC"));
    } else if (transport.equals("pkcs1")) {
      generator.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(cert).setProvider("BC"));
    } else {
      throw new IllegalArgumentException("oaep-sha256 or pkcs1");
    }
    try (OutputStream content = generator.open(
        out, new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider("BC").build())) {
      System.in.transferTo(content);
    }
  }

  static void decrypt(String keyPath, String certPath, OutputStream out) throws Exception {
    decrypted(keyPath, certPath).transferTo(out);
  }

  /**
   * Decrypts and reads the zip inside with java.util.zip.ZipInputStream, as ks-no/svarut-sak-mottak
   * (GIImportManager) and eFormidling's integration point (SvarInnUnzipper) read a download of
   * several files: one line per entry, its name and the SHA-256 of its bytes, tab-separated.
   */
  static void unzip(String keyPath, String certPath, OutputStream out) throws Exception {
    try (ZipInputStream zip = new ZipInputStream(decrypted(keyPath, certPath))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        // Not closed: that would close the zip. The entry is read to its end.
        new DigestInputStream(zip, sha256).transferTo(OutputStream.nullOutputStream());
        String line = entry.getName() + "\t" + HexFormat.of().formatHex(sha256.digest()) + "\n";
        out.write(line.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  static InputStream decrypted(String keyPath, String certPath) throws Exception {
    PrivateKey key;
    try (PEMParser pem = new PEMParser(new FileReader(keyPath))) {
      Object read = pem.readObject();
      PrivateKeyInfo info = read instanceof PEMKeyPair ? ((PEMKeyPair) read).getPrivateKeyInfo() : (PrivateKeyInfo) read;
      key = new JcaPEMKeyConverter().setProvider("BC").getPrivateKey(info);
    }
    CMSEnvelopedDataParser parser = new CMSEnvelopedDataParser(new BufferedInputStream(System.in, 1 << 16));
    RecipientInformation recipient = parser.getRecipientInfos().get(new JceKeyTransRecipientId(certificate(certPath)));
    if (recipient == null) throw new IllegalStateException("no recipient info for this certificate");
    CMSTypedStream content = recipient.getContentStream(new JceKeyTransEnvelopedRecipient(key).setProvider("BC"));
    return content.getContentStream();
  }
}
