// Specification of the transfer concurrency limit: slots held for a transfer's lifetime.
#include "server/transfer_slots.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

using namespace apex::server;

TEST_CASE("at most limit slots are held at once; a slot going out of scope frees it") {
  TransferSlots slots(2);
  auto a = slots.try_acquire();
  auto b = slots.try_acquire();
  REQUIRE(a);
  REQUIRE(b);
  CHECK(slots.in_use() == 2);
  CHECK_FALSE(slots.try_acquire());
  CHECK(slots.in_use() == 2);  // a refusal takes nothing
  a.reset();
  CHECK(slots.in_use() == 1);
  {
    auto c = slots.try_acquire();
    CHECK(c);
    CHECK_FALSE(slots.try_acquire());
  }
  CHECK(slots.in_use() == 1);
}

TEST_CASE("a moved slot is freed once, by its new holder") {
  TransferSlots slots(1);
  auto first = slots.try_acquire();
  REQUIRE(first);
  std::optional<TransferSlot> moved(std::move(*first));
  first.reset();  // the moved-from slot frees nothing
  CHECK(slots.in_use() == 1);
  CHECK_FALSE(slots.try_acquire());
  moved.reset();
  CHECK(slots.in_use() == 0);
  CHECK(slots.try_acquire());
}

TEST_CASE("a slot assigned over another frees the one it replaces") {
  TransferSlots one(1), other(1);
  auto held = one.try_acquire();
  auto incoming = other.try_acquire();
  REQUIRE(held);
  REQUIRE(incoming);
  *held = std::move(*incoming);
  CHECK(one.in_use() == 0);
  CHECK(other.in_use() == 1);
  held.reset();
  incoming.reset();
  CHECK(other.in_use() == 0);
}

TEST_CASE("workers racing for slots never exceed the limit together") {
  TransferSlots slots(3);
  std::atomic<unsigned> most{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        auto slot = slots.try_acquire();
        if (!slot) continue;
        unsigned seen = slots.in_use();
        unsigned prev = most.load();
        while (seen > prev && !most.compare_exchange_weak(prev, seen)) {
        }
      }
    });
  for (auto& t : workers) t.join();
  CHECK(most.load() <= 3);
  CHECK(most.load() >= 1);
  CHECK(slots.in_use() == 0);
}
