#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "bplab/datasets.hpp"

using namespace bplab;

namespace {

constexpr double pi = 3.14159265358979323846;

Dataset make(DatasetKind kind, std::size_t n, double noise, std::size_t classes, std::uint64_t seed) {
    Rng rng(seed);
    return generate_dataset(DatasetConfig{kind, n, noise, 0.5, classes}, rng);
}

}  // namespace

TEST_CASE("every dataset and class count: the right shape, label range and every class present, deterministically") {
    struct Case {
        DatasetKind kind;
        std::size_t classes;
    };
    std::vector<Case> cases{{DatasetKind::circle, 2}, {DatasetKind::xor_, 2}, {DatasetKind::gauss, 2},
                            {DatasetKind::plane, 2}, {DatasetKind::multigauss, 2}};
    for (std::size_t k = 2; k <= 5; ++k) {
        cases.push_back({DatasetKind::spiral, k});
        cases.push_back({DatasetKind::blobs, k});
    }
    for (const Case& c : cases) {
        for (std::size_t n : {2, 7, 201}) {
            INFO(to_name(dataset_names, c.kind) << ", " << c.classes << " classes, " << n << " samples");
            const Dataset d = make(c.kind, n, 0.2, c.classes, 12);
            REQUIRE(d.size() == n);
            CHECK(d.points.size() == 2 * n);
            for (double v : d.points) CHECK(std::isfinite(v));
            if (is_regression(c.kind)) {
                CHECK(d.classes == 0);
                for (double y : d.labels) {
                    CHECK(y >= -1.5);
                    CHECK(y <= 1.5);
                }
            } else {
                CHECK(d.classes == c.classes);
                std::set<double> seen(d.labels.begin(), d.labels.end());
                for (double y : seen) {
                    CHECK(y == std::floor(y));
                    CHECK(y >= 0);
                    CHECK(y < static_cast<double>(c.classes));
                }
                if (n >= 200) CHECK(seen.size() == c.classes);
            }
            const Dataset again = make(c.kind, n, 0.2, c.classes, 12);
            CHECK(again.points == d.points);
            CHECK(again.labels == d.labels);
            if (n >= 7) CHECK(make(c.kind, n, 0.2, c.classes, 13).points != d.points);
        }
    }
}

TEST_CASE("datasets without noise follow their rule exactly") {
    SECTION("circle: class 1 inside radius 2.5, class 0 between 3.5 and 5") {
        const Dataset d = make(DatasetKind::circle, 400, 0.0, 2, 1);
        for (std::size_t i = 0; i < d.size(); ++i) {
            const double r = std::hypot(d.points[2 * i], d.points[2 * i + 1]);
            if (d.labels[i] == 1.0) CHECK(r < 2.5);
            else CHECK((r >= 3.5 && r <= 5.0));
        }
    }
    SECTION("xor: class 1 where x1·x2 ≥ 0, with 0.3 padding off the axes") {
        const Dataset d = make(DatasetKind::xor_, 400, 0.0, 2, 1);
        for (std::size_t i = 0; i < d.size(); ++i) {
            const double x = d.points[2 * i], y = d.points[2 * i + 1];
            CHECK(d.labels[i] == (x * y >= 0 ? 1.0 : 0.0));
            CHECK(std::abs(x) >= 0.3);
            CHECK(std::abs(y) >= 0.3);
        }
    }
    SECTION("spiral: every point on its arm, r = 5·i/n at angle 1.75·2π·i/n + 2πk/classes") {
        const std::size_t classes = 3;
        const Dataset d = make(DatasetKind::spiral, 90, 0.0, classes, 1);
        std::size_t i = 0;
        for (std::size_t arm = 0; arm < classes; ++arm)
            for (std::size_t k = 0; k < 30; ++k, ++i) {
                const double frac = k / 30.0, r = 5 * frac;
                const double t = 1.75 * frac * 2 * pi + 2 * pi * arm / classes;
                CHECK(d.points[2 * i] == Approx(r * std::sin(t)).margin(1e-12));
                CHECK(d.points[2 * i + 1] == Approx(r * std::cos(t)).margin(1e-12));
                CHECK(d.labels[i] == static_cast<double>(arm));
            }
    }
    SECTION("plane: the label is (x1 + x2) / 10") {
        const Dataset d = make(DatasetKind::plane, 100, 0.0, 2, 1);
        for (std::size_t i = 0; i < d.size(); ++i)
            CHECK(d.labels[i] == Approx((d.points[2 * i] + d.points[2 * i + 1]) / 10).epsilon(1e-14));
    }
    SECTION("multigauss: ±1 at the six centres, 0 far from all of them") {
        const Dataset d = make(DatasetKind::multigauss, 500, 0.0, 2, 1);
        for (std::size_t i = 0; i < d.size(); ++i) {
            const double x = d.points[2 * i], y = d.points[2 * i + 1];
            CHECK(std::abs(d.labels[i]) <= 1.0);
            const bool far = std::abs(std::abs(y) - 2.5) > 2 || (std::abs(x) > 6);
            if (far) CHECK(d.labels[i] == 0.0);
        }
    }
}

TEST_CASE("noise blurs the classes: labels cross the rule, clusters spread") {
    SECTION("circle and xor: with noise, some labels disagree with the clean rule") {
        const Dataset c = make(DatasetKind::circle, 500, 0.5, 2, 2);
        const Dataset x = make(DatasetKind::xor_, 500, 0.5, 2, 2);
        int circle_flips = 0, xor_flips = 0;
        for (std::size_t i = 0; i < 500; ++i) {
            const double r = std::hypot(c.points[2 * i], c.points[2 * i + 1]);
            circle_flips += (r < 2.5) != (c.labels[i] == 1.0);
            const double p = x.points[2 * i] * x.points[2 * i + 1];
            xor_flips += (p >= 0) != (x.labels[i] == 1.0);
        }
        CHECK(circle_flips > 10);
        CHECK(xor_flips > 10);
    }
    SECTION("gauss: the spread around (2, 2) is √(0.5 + 7·noise)") {
        for (double noise : {0.0, 0.25, 0.5}) {
            const Dataset d = make(DatasetKind::gauss, 20000, noise, 2, 3);
            double sum_sq = 0;
            int n = 0;
            for (std::size_t i = 0; i < d.size(); ++i) {
                if (d.labels[i] != 1.0) continue;
                sum_sq += (d.points[2 * i] - 2) * (d.points[2 * i] - 2);
                n += 1;
            }
            INFO("noise " << noise);
            CHECK(n == 10000);
            CHECK(std::sqrt(sum_sq / n) == Approx(std::sqrt(0.5 + 7 * noise)).epsilon(0.03));
        }
    }
    SECTION("spiral: noise moves points off the arm by at most the noise") {
        const Dataset clean = make(DatasetKind::spiral, 100, 0.0, 2, 4);
        const Dataset noisy = make(DatasetKind::spiral, 100, 0.3, 2, 4);
        double largest = 0;
        for (std::size_t i = 0; i < 200; ++i) largest = std::max(largest, std::abs(noisy.points[i] - clean.points[i]));
        CHECK(largest > 0.1);
        CHECK(largest <= 0.3);
    }
}

TEST_CASE("the split shuffles then keeps floor(n · ratio) points for training and the rest for testing") {
    const Dataset all = make(DatasetKind::blobs, 101, 0.1, 4, 5);
    for (double ratio : {0.1, 0.5, 0.77, 1.0}) {
        Rng rng(8);
        Dataset train, test;
        split_dataset(all, ratio, rng, train, test);
        INFO("ratio " << ratio);
        CHECK(train.size() == static_cast<std::size_t>(std::floor(101 * ratio)));
        CHECK(train.size() + test.size() == 101);
        CHECK(train.classes == 4);
        std::vector<std::pair<double, double>> before, after;
        for (std::size_t i = 0; i < 101; ++i) before.push_back({all.points[2 * i], all.labels[i]});
        for (const Dataset* part : {&train, &test})
            for (std::size_t i = 0; i < part->size(); ++i) after.push_back({part->points[2 * i], part->labels[i]});
        CHECK(after != before);  // shuffled
        std::sort(before.begin(), before.end());
        std::sort(after.begin(), after.end());
        CHECK(after == before);  // every point exactly once, with its label
    }
}
