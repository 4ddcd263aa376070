// Where apexd and apexctl find the files they share besides the database: the configuration
// file and the control socket. One definition, so the two programs always agree.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace apex::storage {

// Read when neither --config nor $APEXDNS_CONFIG names a file, if it exists.
inline constexpr const char* kSystemConfigFile = "/etc/apexdns/apexdns.toml";

// The configuration file: `given` (--config), else `variable` ($APEXDNS_CONFIG) when set and
// not empty, else kSystemConfigFile when it exists, so a forgotten --config does not
// silently mean built-in defaults; nullopt when there is none.
std::optional<std::string> config_file(const std::optional<std::string>& given,
                                       const std::optional<std::string>& variable);

// The control socket: `configured` unless empty, else the database's path with ".sock" added.
std::filesystem::path control_socket_path(const std::filesystem::path& configured,
                                          const std::filesystem::path& database);

}  // namespace apex::storage
