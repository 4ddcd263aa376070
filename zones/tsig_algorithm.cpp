// TSIG algorithm names and MAC lengths (RFC 8945 §6, RFC 4635 §2).
#include "zones/tsig_algorithm.hpp"

#include <array>
#include <string>

namespace apex {
namespace {

struct AlgorithmInfo {
  TsigAlgorithm algorithm;
  std::string_view text;
  std::size_t mac_length;
};

constexpr std::array<AlgorithmInfo, 5> kAlgorithms{{
    {TsigAlgorithm::HmacSha256, "hmac-sha256", 32},
    {TsigAlgorithm::HmacSha1, "hmac-sha1", 20},
    {TsigAlgorithm::HmacSha224, "hmac-sha224", 28},
    {TsigAlgorithm::HmacSha384, "hmac-sha384", 48},
    {TsigAlgorithm::HmacSha512, "hmac-sha512", 64},
}};

const AlgorithmInfo& info(TsigAlgorithm algorithm) {
  for (const auto& entry : kAlgorithms)
    if (entry.algorithm == algorithm) return entry;
  return kAlgorithms[0];
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(fold_case(static_cast<std::uint8_t>(c)));
  return out;
}

}  // namespace

std::string_view tsig_algorithm_to_text(TsigAlgorithm algorithm) {
  return info(algorithm).text;
}

Result<TsigAlgorithm> tsig_algorithm_from_text(std::string_view text) {
  std::string key = lower(text);
  if (!key.empty() && key.back() == '.') key.pop_back();
  for (const auto& entry : kAlgorithms)
    if (key == entry.text) return entry.algorithm;
  if (key == "hmac-md5" || key == "hmac-md5.sig-alg.reg.int")
    return Error{"TSIG algorithm '" + std::string(text) + "' is not supported (use hmac-sha256)"};
  return Error{"unknown TSIG algorithm '" + std::string(text) + "'"};
}

const Name& tsig_algorithm_name(TsigAlgorithm algorithm) {
  // Built once from the table above; every entry is a valid one-label name.
  static const std::array<Name, kAlgorithms.size()> names = [] {
    std::array<Name, kAlgorithms.size()> out;
    for (std::size_t i = 0; i < kAlgorithms.size(); ++i)
      out[i] = *Name::from_text(kAlgorithms[i].text);
    return out;
  }();
  for (std::size_t i = 0; i < kAlgorithms.size(); ++i)
    if (kAlgorithms[i].algorithm == algorithm) return names[i];
  return names[0];
}

Result<TsigAlgorithm> tsig_algorithm_from_name(const Name& name) {
  for (const auto& entry : kAlgorithms)
    if (tsig_algorithm_name(entry.algorithm) == name) return entry.algorithm;
  return Error{"unsupported TSIG algorithm " + name.to_text()};
}

std::size_t tsig_mac_length(TsigAlgorithm algorithm) {
  return info(algorithm).mac_length;
}

}  // namespace apex
