// apexctl: the apexdns admin CLI. All behaviour lives in run_apexctl (admin/apexctl.hpp).
#include <iostream>
#include <string>
#include <vector>

#include "admin/apexctl.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return apex::admin::run_apexctl(std::move(args), std::cout, std::cerr);
}
