// apexctl dnssec export-key: the one command that prints a private key, as PKCS#8 PEM
// (RFC 5958 §2 in the textual encoding of RFC 7468 §10), to stdout or to a new file only
// its owner can read.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "admin/command_line.hpp"
#include "admin/dnssec_commands.hpp"
#include "admin/dnssec_zone_change.hpp"
#include "zones/base_encoding.hpp"

namespace apex::admin {

const char* const kDnssecExportKeyUsage =
    "Usage: apexctl [--db FILE] dnssec export-key ZONE [--key TAG] [--out FILE]\n"
    "\n"
    "Prints the private key of ZONE's newest key (or of the key with tag TAG) as PKCS#8 PEM\n"
    "(\"-----BEGIN PRIVATE KEY-----\", RFC 7468 §10), as OpenSSL and other signers read it.\n"
    "No other command prints a private key.\n"
    "  --key TAG    the key with that key tag (see 'dnssec status')\n"
    "  --out FILE   write it to FILE, created with mode 0600; an existing FILE is never\n"
    "               overwritten\n";

namespace {

constexpr OptionSpec kExportOptions[] = {{"--key", true}, {"--out", true}};

// RFC 7468 §2: base64 in lines of 64 characters between the labels.
std::string pkcs8_pem(const std::vector<std::uint8_t>& der) {
  const std::string text = base64_encode(der);
  std::string out = "-----BEGIN PRIVATE KEY-----\n";
  for (std::size_t at = 0; at < text.size(); at += 64) out += text.substr(at, 64) + "\n";
  return out + "-----END PRIVATE KEY-----\n";
}

Result<const storage::DnssecKeyRow*> chosen_key(const storage::ZoneDnssec& dnssec,
                                                const std::optional<std::string>& tag) {
  const storage::DnssecKeyRow* found = nullptr;
  for (const auto& key : dnssec.keys)
    if (tag ? std::to_string(key.key_tag) == *tag : key.state == storage::DnssecKeyState::kActive)
      found = &key;
  if (found != nullptr) return found;
  if (tag) return Error{"zone " + dnssec.apex.to_text() + " has no key with tag " + *tag};
  return Error{"zone " + dnssec.apex.to_text() + " has no key"};
}

// O_EXCL: a file that exists, or a link planted under the name, is refused, not replaced.
Status write_new_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Error{"cannot create " + path + ": " + std::strerror(errno)};
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string error = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return Error{"cannot write " + path + ": " + error};
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return Error{"cannot write " + path + ": " + std::strerror(errno)};
  return Ok{};
}

}  // namespace

int run_dnssec_export_key(std::span<const std::string> args, const CommandContext& ctx) {
  auto line = parse_command_line(args, kExportOptions);
  if (!line) return ctx.usage_error(line.error(), "dnssec export-key");
  if (line->positional.size() != 1)
    return ctx.usage_error("expected one ZONE", "dnssec export-key");
  ExitCode code = ExitCode::kOk;
  auto dnssec = read_dnssec(ctx, line->positional[0], code);
  if (!dnssec) return ctx.fail(code, dnssec.error());
  auto key = chosen_key(*dnssec, line->value("--key"));
  if (!key) return ctx.fail(ExitCode::kRefused, key.error());
  const std::string pem = pkcs8_pem((*key)->private_key);
  auto out = line->value("--out");
  if (!out) {
    ctx.out << pem;
    return to_int(ExitCode::kOk);
  }
  if (auto written = write_new_file(*out, pem); !written)
    return ctx.fail(ExitCode::kRefused, written.error());
  ctx.out << "private key " << (*key)->key_tag << " of zone " << dnssec->apex.to_text()
          << " written to " << *out << " (mode 0600)\n";
  return to_int(ExitCode::kOk);
}

}  // namespace apex::admin
