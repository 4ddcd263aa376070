// RRSIG RDATA (RFC 4034 §3): its fields, the signed data (§3.1.8.1) and signing an RRset.
#include "zones/rrsig_signer.hpp"

#include <atomic>

#include "zones/canonical_rrset.hpp"

namespace apex {
namespace {

constexpr std::size_t kFixedFields = 18;  // type covered .. key tag (RFC 4034 §3.1)

// Relaxed: a statistic that orders nothing. Signing runs off the query path, so threads
// sharing this counter slow no answer.
std::atomic<std::uint64_t> g_signatures_made{0};

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint32_t get_u32(std::span<const std::uint8_t> octets) {
  return (std::uint32_t{octets[0]} << 24) | (std::uint32_t{octets[1]} << 16) |
         (std::uint32_t{octets[2]} << 8) | octets[3];
}

}  // namespace

std::uint8_t rrsig_labels(const Name& owner) {
  std::size_t labels = owner.label_count();
  if (owner.is_wildcard()) --labels;
  return static_cast<std::uint8_t>(labels);
}

std::vector<std::uint8_t> rrsig_fields_rdata(const RrsigFields& fields) {
  std::vector<std::uint8_t> out;
  out.reserve(kFixedFields + fields.signer.wire_length() + 64);
  put_u16(out, static_cast<std::uint16_t>(fields.type_covered));
  out.push_back(fields.algorithm);
  out.push_back(fields.labels);
  put_u32(out, fields.original_ttl);
  put_u32(out, fields.expiration);
  put_u32(out, fields.inception);
  put_u16(out, fields.key_tag);
  Name signer = fields.signer.lowercased();
  out.insert(out.end(), signer.wire().begin(), signer.wire().end());
  return out;
}

Result<RrsigFields> parse_rrsig(std::span<const std::uint8_t> rdata,
                                std::span<const std::uint8_t>& signature) {
  if (rdata.size() < kFixedFields + 1) return Error{"RRSIG RDATA ends early"};
  std::size_t end = kFixedFields;
  while (end < rdata.size() && rdata[end] != 0 && rdata[end] <= kMaxLabelLength)
    end += 1 + rdata[end];
  if (end >= rdata.size() || rdata[end] != 0) return Error{"RRSIG signer name is malformed"};
  auto signer = Name::from_wire(rdata.subspan(kFixedFields, end + 1 - kFixedFields));
  if (!signer) return Error{"RRSIG signer name: " + signer.error()};
  RrsigFields fields;
  fields.type_covered = static_cast<RRType>((rdata[0] << 8) | rdata[1]);
  fields.algorithm = rdata[2];
  fields.labels = rdata[3];
  fields.original_ttl = get_u32(rdata.subspan(4));
  fields.expiration = get_u32(rdata.subspan(8));
  fields.inception = get_u32(rdata.subspan(12));
  fields.key_tag = static_cast<std::uint16_t>((rdata[16] << 8) | rdata[17]);
  fields.signer = std::move(*signer);
  signature = rdata.subspan(end + 1);
  return fields;
}

std::vector<std::uint8_t> rrsig_signed_data(std::span<const std::uint8_t> fields_rdata,
                                            const Name& signed_owner, const RRsetView& rrset,
                                            std::uint32_t original_ttl) {
  const Name owner = signed_owner.lowercased();
  auto rdatas = canonical_rdata_set(rrset.type, rrset.rdatas);
  std::vector<std::uint8_t> out(fields_rdata.begin(), fields_rdata.end());
  for (const auto& rdata : rdatas) {
    out.insert(out.end(), owner.wire().begin(), owner.wire().end());
    put_u16(out, static_cast<std::uint16_t>(rrset.type));
    put_u16(out, static_cast<std::uint16_t>(rrset.rrclass));
    put_u32(out, original_ttl);
    put_u16(out, static_cast<std::uint16_t>(rdata.size()));
    out.insert(out.end(), rdata.begin(), rdata.end());
  }
  return out;
}

Result<std::vector<std::uint8_t>> sign_rrset(const SigningKey& key, const Name& signer,
                                             const RRsetView& rrset, SignatureValidity validity) {
  if (rrset.rdatas.empty()) return Error{"an empty RRset has nothing to sign"};
  if (!rrset.owner.is_subdomain_of(signer))
    return Error{rrset.owner.to_text() + " is not in the zone " + signer.to_text()};
  RrsigFields fields;
  fields.type_covered = rrset.type;
  fields.algorithm = static_cast<std::uint8_t>(key.algorithm());
  fields.labels = rrsig_labels(rrset.owner);
  fields.original_ttl = rrset.ttl;
  fields.expiration = validity.expiration;
  fields.inception = validity.inception;
  fields.key_tag = key.key_tag();
  fields.signer = signer;
  std::vector<std::uint8_t> rdata = rrsig_fields_rdata(fields);
  auto signature = key.sign(rrsig_signed_data(rdata, rrset.owner, rrset, rrset.ttl));
  if (!signature) return Error{signature.error()};
  g_signatures_made.fetch_add(1, std::memory_order_relaxed);
  rdata.insert(rdata.end(), signature->begin(), signature->end());
  return rdata;
}

std::uint64_t signatures_made() {
  return g_signatures_made.load(std::memory_order_relaxed);
}

}  // namespace apex
