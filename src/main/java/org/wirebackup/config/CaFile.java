package org.wirebackup.config;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A {@code *.ca-file} setting: a PEM file of CA certificates that one TLS connection trusts instead of the JVM's
 * default CAs, as {@code curl --cacert} does; typically the internal CA of an on-premise mail relay or chat server.
 * Host names are still checked against the certificate.
 */
final class CaFile {

    private CaFile() {
    }

    static Optional<SSLContext> sslContext(SettingsReader settings, String key) {
        if (settings.optional(key).isEmpty()) {
            return Optional.empty();
        }
        Path file = settings.readableFile(key);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigurationException(key, file + " holds no PEM certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return Optional.of(context);
        } catch (CertificateException e) {
            throw new ConfigurationException(key, file + " is not a PEM file of certificates: " + e.getMessage());
        } catch (ConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigurationException(key, "cannot read " + file + ": " + e);
        }
    }
}
