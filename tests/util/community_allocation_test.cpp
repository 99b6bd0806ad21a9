// The 15-minute allocation of an energy community: exact to the Wh in every interval, over
// random communities of every rule, and the rules' own promises on small hand-made cases.
#include "meterd/community_allocation.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "meterd/largest_remainder.hpp"

using meterd::AllocationKey;
using meterd::AllocationRule;
using meterd::allocate_interval;
using meterd::apportion;

namespace {
std::int64_t sum(const std::vector<std::int64_t>& v) { return std::accumulate(v.begin(), v.end(), std::int64_t{0}); }

AllocationKey key(AllocationRule rule, std::size_t n) {
  AllocationKey k;
  k.rule = rule;
  k.shares.assign(n, 1.0);
  k.ranks.assign(n, 0);
  return k;
}
}  // namespace

TEST(LargestRemainder, PartsAddUpAndTiesGoToTheLowerIndex) {
  EXPECT_EQ(apportion(10, {10.0 / 3, 10.0 / 3, 10.0 / 3}, {10, 10, 10}), (std::vector<std::int64_t>{4, 3, 3}));
  EXPECT_EQ(apportion(7, {1.2, 2.6, 3.2}, {9, 9, 9}), (std::vector<std::int64_t>{1, 3, 3}));
  // A cap holds even where the quota asks more; the rest goes to the others.
  EXPECT_EQ(apportion(5, {4.0, 1.0}, {2, 9}), (std::vector<std::int64_t>{2, 3}));
  EXPECT_THROW(apportion(5, {1.0, 1.0}, {2, 2}), std::invalid_argument);
}

TEST(CommunityAllocation, ProportionalToConsumptionInTheInterval) {
  // 300 Wh of sun for 200 + 100 + 0 Wh of consumption: all covered, the rest fed in.
  auto a = allocate_interval({200, 100, 0}, {0, 0, 300}, key(AllocationRule::proportional, 3));
  EXPECT_EQ(a.allocated_wh, (std::vector<std::int64_t>{200, 100, 0}));
  EXPECT_EQ(a.fed_in_wh, 0);
  // 90 Wh of sun for 200 + 100: two thirds and one third of 90.
  a = allocate_interval({200, 100, 0}, {0, 0, 90}, key(AllocationRule::proportional, 3));
  EXPECT_EQ(a.allocated_wh, (std::vector<std::int64_t>{60, 30, 0}));
  EXPECT_EQ(a.grid_draw_wh, (std::vector<std::int64_t>{140, 70, 0}));
  EXPECT_EQ(a.sold_wh, (std::vector<std::int64_t>{0, 0, 90}));
}

TEST(CommunityAllocation, FixedSharesGiveWhatOneCannotTakeToTheOthers) {
  auto k = key(AllocationRule::shares, 3);
  k.shares = {3, 1, 0};
  // 100 Wh: shares 75/25, but the first needs 40 only: 60 to the second, which needs 80.
  const auto a = allocate_interval({40, 80, 0}, {0, 0, 100}, k);
  EXPECT_EQ(a.allocated_wh, (std::vector<std::int64_t>{40, 60, 0}));
  EXPECT_EQ(a.local_wh, 100);
}

TEST(CommunityAllocation, PriorityServesRankOneFirst) {
  auto k = key(AllocationRule::priority, 4);
  k.ranks = {2, 1, 0, 0};
  auto a = allocate_interval({50, 70, 30, 0}, {0, 0, 0, 100}, k);
  EXPECT_EQ(a.allocated_wh, (std::vector<std::int64_t>{30, 70, 0, 0}));
  a = allocate_interval({50, 70, 30, 0}, {0, 0, 0, 140}, k);
  EXPECT_EQ(a.allocated_wh, (std::vector<std::int64_t>{50, 70, 20, 0}));
}

TEST(CommunityAllocation, SeveralProducersSellInProportionToWhatTheyProduced) {
  const auto a = allocate_interval({0, 0, 100}, {300, 100, 0}, key(AllocationRule::proportional, 3));
  EXPECT_EQ(a.sold_wh, (std::vector<std::int64_t>{75, 25, 0}));
  EXPECT_EQ(a.fed_in_per_wh, (std::vector<std::int64_t>{225, 75, 0}));
}

// Random communities of 1 to 60 members, some producing, under every rule: in every interval
// production = allocated + fed in and consumption = allocated + grid, for the community and
// for each member, to the Wh; nobody gets more than it consumed or sells more than it made;
// and the same inputs always give the same allocation.
TEST(CommunityAllocation, IdentitiesHoldToTheWhInRandomCommunities) {
  std::mt19937_64 rng(20260101);
  for (int round = 0; round < 3000; ++round) {
    const std::size_t n = 1 + rng() % 60;
    std::vector<std::int64_t> use(n), made(n);
    for (std::size_t i = 0; i < n; ++i) {
      use[i] = rng() % 4 == 0 ? 0 : static_cast<std::int64_t>(rng() % 3000);
      made[i] = rng() % 5 == 0 ? static_cast<std::int64_t>(rng() % 20000) : 0;
    }
    for (auto rule : {AllocationRule::proportional, AllocationRule::shares, AllocationRule::priority}) {
      auto k = key(rule, n);
      for (std::size_t i = 0; i < n; ++i) {
        k.shares[i] = 0.1 + static_cast<double>(rng() % 1000) / 7.0;
        k.ranks[i] = static_cast<int>(rng() % 4);
      }
      const auto a = allocate_interval(use, made, k);
      ASSERT_EQ(a.production_wh, sum(made));
      ASSERT_EQ(a.consumption_wh, sum(use));
      ASSERT_EQ(a.local_wh, std::min(sum(made), sum(use)));
      ASSERT_EQ(a.production_wh, a.local_wh + a.fed_in_wh);
      ASSERT_EQ(a.consumption_wh, a.local_wh + a.grid_wh);
      ASSERT_EQ(sum(a.allocated_wh), a.local_wh);
      ASSERT_EQ(sum(a.sold_wh), a.local_wh);
      ASSERT_EQ(sum(a.grid_draw_wh), a.grid_wh);
      ASSERT_EQ(sum(a.fed_in_per_wh), a.fed_in_wh);
      for (std::size_t i = 0; i < n; ++i) {
        ASSERT_EQ(use[i], a.allocated_wh[i] + a.grid_draw_wh[i]);
        ASSERT_EQ(made[i], a.sold_wh[i] + a.fed_in_per_wh[i]);
        ASSERT_GE(a.allocated_wh[i], 0);
        ASSERT_GE(a.grid_draw_wh[i], 0);
        ASSERT_GE(a.sold_wh[i], 0);
        ASSERT_GE(a.fed_in_per_wh[i], 0);
      }
      const auto again = allocate_interval(use, made, k);
      ASSERT_EQ(again.allocated_wh, a.allocated_wh);
      ASSERT_EQ(again.sold_wh, a.sold_wh);
    }
  }
}

TEST(CommunityAllocation, RefusesNegativeEnergy) {
  EXPECT_THROW(allocate_interval({-1}, {0}, key(AllocationRule::proportional, 1)), std::invalid_argument);
  EXPECT_THROW(allocate_interval({1, 2}, {0}, key(AllocationRule::proportional, 2)), std::invalid_argument);
}
