#include "support/test_certs.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace wsbook::testing {
namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct BioFree { void operator()(BIO* p) const { BIO_free(p); } };
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

// Generating certificates is test setup: failing loudly beats limping on.
void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("make_test_certs: ") + what + " failed");
}

PkeyPtr make_key() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "EVP_PKEY_Q_keygen");
  return key;
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, ext, -1) == 1, "X509_add_ext");
  X509_EXTENSION_free(ext);
}

void set_name(X509_NAME* name, const char* common_name) {
  auto cn = reinterpret_cast<const unsigned char*>(common_name);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1, "X509_NAME_add_entry");
}

// A v3 certificate for key, valid from a minute ago (clock skew) for one day.
X509Ptr new_cert(EVP_PKEY* key, const char* common_name) {
  static std::atomic<long> serial{1};
  X509Ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
  // Distinct serials per process run so a client never confuses two runs' certs.
  long unique = (static_cast<long>(std::time(nullptr)) << 8) + serial++;
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), unique) == 1, "ASN1_INTEGER_set");
  check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60) != nullptr, "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600) != nullptr, "notAfter");
  check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  set_name(X509_get_subject_name(cert.get()), common_name);
  return cert;
}

X509Ptr make_ca(EVP_PKEY* ca_key) {
  X509Ptr ca = new_cert(ca_key, "wsbook test CA");
  check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())) == 1, "X509_set_issuer_name");
  add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(ca.get(), ca_key, EVP_sha256()) > 0, "X509_sign(CA)");
  return ca;
}

X509Ptr make_server_cert(EVP_PKEY* key, X509* ca, EVP_PKEY* ca_key) {
  X509Ptr cert = new_cert(key, "localhost");
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca)) == 1, "X509_set_issuer_name");
  add_ext(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca, NID_key_usage, "critical,digitalSignature");
  add_ext(cert.get(), ca, NID_ext_key_usage, "serverAuth");
  add_ext(cert.get(), ca, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  add_ext(cert.get(), ca, NID_subject_key_identifier, "hash");
  add_ext(cert.get(), ca, NID_authority_key_identifier, "keyid:always");
  check(X509_sign(cert.get(), ca_key, EVP_sha256()) > 0, "X509_sign(server)");
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string cert_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  return bio_text(bio.get());
}

TestCerts generate() {
  PkeyPtr ca_key = make_key();
  X509Ptr ca = make_ca(ca_key.get());
  PkeyPtr key = make_key();
  X509Ptr cert = make_server_cert(key.get(), ca.get(), ca_key.get());
  return TestCerts{cert_pem(ca.get()), cert_pem(cert.get()), key_pem(key.get())};
}

// Temp dirs made by write_temp_file, removed when the process exits normally.
class TempDirs {
 public:
  ~TempDirs() {
    std::error_code ec;
    for (const auto& dir : dirs_) std::filesystem::remove_all(dir, ec);
  }
  std::filesystem::path make() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wsbook-test-XXXXXX").string();
    check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    std::lock_guard lock(mutex_);
    dirs_.emplace_back(pattern);
    return dirs_.back();
  }

 private:
  std::mutex mutex_;
  std::vector<std::filesystem::path> dirs_;
};

}  // namespace

TestCerts make_test_certs() {
  static const TestCerts certs = generate();
  return certs;
}

TestCerts make_untrusted_test_certs() {
  static const TestCerts certs = generate();
  return certs;
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  static TempDirs dirs;
  std::filesystem::path path = dirs.make() / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  check(static_cast<bool>(out), "writing the temp file");
  return path.string();
}

std::string test_ca_file() {
  static const std::string path = write_temp_file("ca.pem", make_test_certs().ca_pem);
  return path;
}

}  // namespace wsbook::testing
