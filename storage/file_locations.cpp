#include "storage/file_locations.hpp"

#include <system_error>

namespace apex::storage {

std::optional<std::string> config_file(const std::optional<std::string>& given,
                                       const std::optional<std::string>& variable) {
  if (given) return given;
  if (variable && !variable->empty()) return variable;
  std::error_code ignored;
  if (std::filesystem::exists(kSystemConfigFile, ignored)) return std::string(kSystemConfigFile);
  return std::nullopt;
}

std::filesystem::path control_socket_path(const std::filesystem::path& configured,
                                          const std::filesystem::path& database) {
  if (!configured.empty()) return configured;
  std::filesystem::path path = database;
  path += ".sock";
  return path;
}

}  // namespace apex::storage
