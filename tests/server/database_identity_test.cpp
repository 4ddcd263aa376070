// Specification of what tells apexd that its database path holds another database: another
// identity token, or a change log that went backwards; another inode at the path, or the
// same file written.
#include "server/database_identity.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/storage/temp_directory.hpp"

namespace apex::server {
namespace {

using testing::TempDirectory;

TEST_SUITE("database identity") {
  TEST_CASE("the same token with a longer change log is the same database") {
    CHECK(another_database({"aa", 5}, {"aa", 5}).empty());
    CHECK(another_database({"aa", 5}, {"aa", 9}).empty());
  }

  TEST_CASE("another token is another database, whatever its change log") {
    CHECK(another_database({"aa", 5}, {"bb", 9}) ==
          "it holds another database (restored, or copied over it)");
    CHECK(another_database({"", 5}, {"bb", 5}) ==
          "it holds another database (restored, or copied over it)");
  }

  TEST_CASE("a change log that went back is an older copy put in place") {
    CHECK(another_database({"aa", 7}, {"aa", 3}) ==
          "its change log went back from entry 7 to 3 (an older copy was put in its place)");
  }

  TEST_CASE("a database's token changes with renew_identity, its change log stays") {
    TempDirectory dir;
    auto db = storage::Database::open(dir / "apex.db", storage::OpenMode::kCreate);
    REQUIRE(db.ok());
    auto before = read_identity(**db);
    REQUIRE(before.ok());
    CHECK(before->token.size() == 32);
    CHECK(before->last_change == 0);
    REQUIRE((*db)->renew_identity().ok());
    auto after = read_identity(**db);
    REQUIRE(after.ok());
    CHECK_FALSE(another_database(*before, *after).empty());
  }

  TEST_CASE("the file: written in place is the same file, moved onto the name is not") {
    TempDirectory dir;
    std::ofstream(dir / "live.db") << "one";
    std::ofstream(dir / "other.db") << "two";
    const auto first = file_id(dir / "live.db");
    REQUIRE(first);
    std::ofstream(dir / "live.db", std::ios::app) << "more";
    const auto written = file_id(dir / "live.db");
    REQUIRE(written);
    CHECK(written->same_file(*first));
    CHECK_FALSE(*written == *first);
    std::filesystem::rename(dir / "other.db", dir / "live.db");
    const auto moved = file_id(dir / "live.db");
    REQUIRE(moved);
    CHECK_FALSE(moved->same_file(*first));
    std::filesystem::remove(dir / "live.db");
    CHECK_FALSE(file_id(dir / "live.db"));
  }
}

}  // namespace
}  // namespace apex::server
