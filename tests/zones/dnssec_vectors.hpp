// Published DNSSEC examples the unit tests reproduce: RFC 8080 §6.1 (Ed25519, with RFC 8080
// erratum 4935's Labels field of 2) and RFC 6605 §6.1 (ECDSA P-256).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "zones/base_encoding.hpp"
#include "zones/name.hpp"
#include "zones/rdata.hpp"

namespace apex::test {

struct DnssecExample {
  std::string_view zone;
  std::string_view private_key;  // base64, "PrivateKey:" of the BIND v1.2 key file
  std::string_view dnskey;       // RDATA text
  std::string_view ds;
  std::string_view owner;  // of the signed RRset
  std::string_view rrset_type;
  std::string_view rrset_rdata;
  std::string_view rrsig;
  std::uint32_t now;  // a moment inside the RRSIG's validity period
};

// RFC 8080 §6.1: signatures are deterministic (RFC 8032 §5.1.6), so the RRSIG is exact.
inline constexpr DnssecExample kRfc8080Ed25519{
    "example.com.",
    "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=",
    "257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
    "3613 15 2 3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b",
    "example.com.",
    "MX",
    "10 mail.example.com.",
    "MX 15 2 3600 1440021600 1438207200 3613 example.com. "
    "oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg==",
    1439000000};

inline constexpr DnssecExample kRfc8080Ed25519Second{
    "example.com.",
    "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=",
    "257 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
    "35217 15 2 401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c",
    "example.com.",
    "MX",
    "10 mail.example.com.",
    "MX 15 2 3600 1440021600 1438207200 35217 example.com. "
    "zXQ0bkYgQTEFyfLyi9QoiY6D8ZdYo4wyUhVioYZXFdT410QPRITQSqJSnzQoSm5poJ7gD7AQR0O7KuI5k2pcBg==",
    1439000000};

// RFC 6605 §6.1: ECDSA signatures are randomized; the RFC's RRSIG must verify.
inline constexpr DnssecExample kRfc6605P256{
    "example.net.",
    "GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=",
    "257 3 13 "
    "GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==",
    "55648 13 2 b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17",
    "www.example.net.",
    "A",
    "192.0.2.1",
    "A 13 3 3600 20100909100439 20100812100439 55648 example.net. "
    "qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXAyGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw==",
    1282000000};

inline Name name(std::string_view text) {
  auto n = Name::from_text(text);
  REQUIRE(n);
  return *n;
}

inline std::vector<std::uint8_t> rdata(RRType type, std::string_view text) {
  auto tokens = rdata_tokenize(text);
  REQUIRE(tokens);
  auto octets = rdata_from_text(type, *tokens, Name());
  INFO(text);
  REQUIRE(octets);
  return *octets;
}

inline std::vector<std::uint8_t> base64(std::string_view text) {
  auto octets = base64_decode(text);
  REQUIRE(octets);
  return *octets;
}

}  // namespace apex::test
