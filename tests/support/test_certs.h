#pragma once

#include <string>

namespace wsbook::testing {

/// PEM texts of a throwaway CA and a server certificate it signed.
struct TestCerts {
  std::string ca_pem;    ///< The CA certificate: what a client must trust.
  std::string cert_pem;  ///< The server certificate (CN and SAN localhost, IP 127.0.0.1).
  std::string key_pem;   ///< The server certificate's private key (PKCS#8).
};

/// A fresh CA and a server cert for "localhost" (SAN DNS:localhost and IP:127.0.0.1), valid for 1 day.
/// Generated once per process; later calls return the same certificates.
TestCerts make_test_certs();

/// Another CA and server cert like make_test_certs(), but from a different CA (so not trusted by its ca_pem).
TestCerts make_untrusted_test_certs();

/// Writes text to a new file in a fresh temp dir and returns its path; the dir is removed at process exit.
std::string write_temp_file(const std::string& name, const std::string& text);

/// Path of a PEM file holding make_test_certs().ca_pem (written once per process).
std::string test_ca_file();

}  // namespace wsbook::testing
