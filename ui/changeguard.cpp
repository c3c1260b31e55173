#include "changeguard.h"

namespace kucun {

QString ChangeGuard::readOnlyTip(const HubLink &hub)
{
    return tr("Read-only: %1").arg(hub.readOnlyReason());
}

QString ChangeGuard::readOnlyFlagReason()
{
    return tr("the window was started with --read-only");
}

}  // namespace kucun
