#include <catch2/catch.hpp>

#include <stdexcept>

#include "bplab/errors.hpp"

using namespace bplab;

TEST_CASE("a LabError carries its code, the field at fault and a readable message") {
    const LabError e("invalid_argument", "optimizer.lr", "optimizer.lr is -1; allowed: a number above 0");
    CHECK(e.code() == "invalid_argument");
    CHECK(e.field() == "optimizer.lr");
    CHECK(std::string(e.what()) == "optimizer.lr is -1; allowed: a number above 0");
    const std::runtime_error& base = e;  // caught as any standard error too
    CHECK(std::string(base.what()).find("optimizer.lr") == 0);
}
