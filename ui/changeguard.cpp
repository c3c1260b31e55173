#include "changeguard.h"

namespace kucun {

QString ChangeGuard::readOnlyTip(const HubLink &hub)
{
    return tr("Read-only: %1").arg(hub.readOnlyReason());
}

}  // namespace kucun
