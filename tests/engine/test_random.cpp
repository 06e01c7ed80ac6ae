#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "bplab/random.hpp"

using namespace bplab;

TEST_CASE("the generator is xoshiro256** seeded by splitmix64, as their reference code") {
    Rng rng;
    rng.set_state({1, 2, 3, 4});
    CHECK(rng.next() == 11520u);  // the reference outputs for the state {1, 2, 3, 4}
    CHECK(rng.next() == 0u);
    CHECK(rng.next() == 1509978240u);
    CHECK(rng.next() == 1215971899390074240u);
    Rng seeded(0);
    CHECK(seeded.state()[0] == 0xe220a8397b1dcdafULL);  // splitmix64's first output from 0
}

TEST_CASE("the same seed gives the same numbers and another seed others") {
    Rng a(42), b(42), c(43);
    for (int i = 0; i < 100; ++i) {
        const double x = a.normal();
        CHECK(x == b.normal());
        CHECK(x != c.normal());
    }
}

TEST_CASE("uniform numbers fill 0 to 1 evenly, never reaching 1") {
    Rng rng(5);
    const int n = 200000;
    double sum = 0, sum_sq = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        sum += u;
        sum_sq += u * u;
        lo = std::min(lo, u);
        hi = std::max(hi, u);
    }
    const double mean = sum / n;
    CHECK(mean == Approx(0.5).margin(0.005));
    CHECK(sum_sq / n - mean * mean == Approx(1.0 / 12).margin(0.002));
    CHECK(lo >= 0.0);
    CHECK(hi < 1.0);
    for (int i = 0; i < 1000; ++i) {
        const double v = rng.uniform(-3.0, 2.0);
        CHECK(v >= -3.0);
        CHECK(v < 2.0);
    }
}

TEST_CASE("normal numbers have the mean and spread asked for") {
    Rng rng(6);
    const int n = 200000;
    double sum = 0, sum_sq = 0;
    int within_one = 0;
    for (int i = 0; i < n; ++i) {
        const double x = rng.normal(2.0, 3.0);
        sum += x;
        sum_sq += x * x;
        within_one += std::abs(x - 2.0) < 3.0 ? 1 : 0;
    }
    const double mean = sum / n;
    CHECK(mean == Approx(2.0).margin(0.03));
    CHECK(std::sqrt(sum_sq / n - mean * mean) == Approx(3.0).margin(0.03));
    CHECK(static_cast<double>(within_one) / n == Approx(0.6827).margin(0.005));
}

TEST_CASE("below(n) is even over 0 … n-1 and shuffle is a permutation") {
    Rng rng(7);
    std::vector<int> counts(7, 0);
    for (int i = 0; i < 70000; ++i) counts[rng.below(7)] += 1;
    for (int c : counts) CHECK(c == Approx(10000).margin(400));
    CHECK(rng.below(1) == 0u);

    std::vector<int> items(50);
    std::iota(items.begin(), items.end(), 0);
    auto shuffled = items;
    rng.shuffle(shuffled);
    CHECK(shuffled != items);
    std::sort(shuffled.begin(), shuffled.end());
    CHECK(shuffled == items);
}
