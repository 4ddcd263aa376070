// The DNSSEC signing algorithms apexdns signs with: names, numbers and field lengths.
#include "zones/dnssec_algorithm.hpp"

#include "zones/number_text.hpp"

namespace apex {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view dnssec_algorithm_to_text(DnssecAlgorithm algorithm) {
  return algorithm == DnssecAlgorithm::kEd25519 ? "ED25519" : "ECDSAP256SHA256";
}

std::optional<DnssecAlgorithm> dnssec_algorithm_from_text(std::string_view text) {
  for (auto a : {DnssecAlgorithm::kEcdsaP256Sha256, DnssecAlgorithm::kEd25519})
    if (iequals(text, dnssec_algorithm_to_text(a))) return a;
  auto number = parse_decimal(text, 255);
  if (!number) return std::nullopt;
  return dnssec_algorithm_from_number(static_cast<std::uint8_t>(*number));
}

std::optional<DnssecAlgorithm> dnssec_algorithm_from_number(std::uint8_t number) {
  if (number == 13) return DnssecAlgorithm::kEcdsaP256Sha256;
  if (number == 15) return DnssecAlgorithm::kEd25519;
  return std::nullopt;
}

std::size_t dnssec_public_key_length(DnssecAlgorithm algorithm) {
  return algorithm == DnssecAlgorithm::kEd25519 ? 32 : 64;
}

std::size_t dnssec_signature_length(DnssecAlgorithm) {
  return 64;
}

}  // namespace apex
