#pragma once
// The shape of a [bus] export or import endpoint, checked as text before anything is bound
// or connected, so --check-config catches what ZeroMQ would refuse at start.
#include <string>

namespace meterd {

enum class EndpointUse { bind, connect };

// Throws std::invalid_argument saying what an endpoint looks like: tcp://HOST:PORT (for a
// bind HOST may be '*' and PORT '*') or ipc://PATH.
void check_bus_endpoint(const std::string& endpoint, EndpointUse use);

}  // namespace meterd
