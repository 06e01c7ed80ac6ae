#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "bplab/features.hpp"

using namespace bplab;

TEST_CASE("the playground's seven features of a point") {
    const double x1 = 1.5, x2 = -2.0;
    CHECK(feature_value(Feature::x1, x1, x2) == 1.5);
    CHECK(feature_value(Feature::x2, x1, x2) == -2.0);
    CHECK(feature_value(Feature::x1sq, x1, x2) == 2.25);
    CHECK(feature_value(Feature::x2sq, x1, x2) == 4.0);
    CHECK(feature_value(Feature::x1x2, x1, x2) == -3.0);
    CHECK(feature_value(Feature::sinx1, x1, x2) == Approx(std::sin(1.5)).epsilon(1e-15));
    CHECK(feature_value(Feature::sinx2, x1, x2) == Approx(std::sin(-2.0)).epsilon(1e-15));
}

TEST_CASE("a feature vector comes in the order the features are listed") {
    const std::vector<Feature> features{Feature::sinx2, Feature::x1, Feature::x1x2};
    double out[3];
    compute_features(features, 0.5, 3.0, out);
    CHECK(out[0] == Approx(std::sin(3.0)).epsilon(1e-15));
    CHECK(out[1] == 0.5);
    CHECK(out[2] == 1.5);
    CHECK(from_name(feature_names, "x1sq") == Feature::x1sq);
    CHECK(feature_names.size() == 7);
}
