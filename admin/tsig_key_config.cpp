// A TSIG key in the configuration syntax of BIND, NSD and Knot, ready to paste.
#include "admin/tsig_key_config.hpp"

#include "zones/base_encoding.hpp"

namespace apex::admin {

std::string tsig_key_config(const storage::TsigKey& key) {
  const std::string name = key.name.to_text();
  const std::string secret = base64_encode(key.secret);
  return "# BIND (named.conf)\n"
         "key \"" +
         name +
         "\" {\n"
         "\talgorithm " +
         key.algorithm +
         ";\n"
         "\tsecret \"" +
         secret +
         "\";\n"
         "};\n"
         "\n"
         "# NSD (nsd.conf)\n"
         "key:\n"
         "\tname: \"" +
         name +
         "\"\n"
         "\talgorithm: " +
         key.algorithm +
         "\n"
         "\tsecret: \"" +
         secret +
         "\"\n"
         "\n"
         "# Knot DNS (knot.conf)\n"
         "key:\n"
         "  - id: " +
         name +
         "\n"
         "    algorithm: " +
         key.algorithm +
         "\n"
         "    secret: " +
         secret + "\n";
}

}  // namespace apex::admin
