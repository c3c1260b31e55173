#include "connectionspanel.h"

#include "changeguard.h"
#include "channelsmodel.h"
#include "clientsmodel.h"
#include "engine/hublink.h"
#include "tableview.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace kucun {

ConnectionsPanel::ConnectionsPanel(HubLink &engine, ClientsModel &clients, ChannelsModel &channels,
                                   QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_clientsView(makeTableView(&clients, QStringLiteral("clientsView"), this))
    , m_channelsView(makeTableView(&channels, QStringLiteral("channelsView"), this))
    , m_disconnect(new QPushButton(tr("&Disconnect client"), this))
{
    m_clientsView->setColumnWidth(ClientsModel::IdColumn, 280);
    m_disconnect->setEnabled(false);
    m_disconnect->setObjectName(QStringLiteral("disconnectClient"));

    auto *clientsBox = new QWidget(this);
    auto *clientsLayout = new QVBoxLayout(clientsBox);
    clientsLayout->setContentsMargins(0, 0, 0, 0);
    auto *clientsTop = new QHBoxLayout;
    clientsTop->addWidget(new QLabel(tr("Clients"), this));
    clientsTop->addStretch(1);
    clientsTop->addWidget(m_disconnect);
    clientsLayout->addLayout(clientsTop);
    clientsLayout->addWidget(m_clientsView);
    auto *channelsBox = new QWidget(this);
    auto *channelsLayout = new QVBoxLayout(channelsBox);
    channelsLayout->setContentsMargins(0, 0, 0, 0);
    channelsLayout->addWidget(new QLabel(tr("Channels"), this));
    channelsLayout->addWidget(m_channelsView);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(clientsBox);
    splitter->addWidget(channelsBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_clientsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                ChangeGuard::enable(m_disconnect, current.isValid(), m_engine);
            });
    connect(&m_engine, &HubLink::readOnlyChanged, this, [this] {
        ChangeGuard::enable(m_disconnect, m_clientsView->currentIndex().isValid(), m_engine);
    });
    connect(m_disconnect, &QPushButton::clicked, this, &ConnectionsPanel::disconnectSelected);
}

void ConnectionsPanel::disconnectSelected()
{
    const QModelIndex current = m_clientsView->currentIndex();
    if (!current.isValid())
        return;
    const QString clientId = current.data(ClientsModel::ClientIdRole).toString();
    m_engine.disconnectClient(clientId, this, [this, clientId](const Result<bool> &done) {
        if (!done.ok())
            emit activity(tr("Could not disconnect %1: %2").arg(clientId, done.error()));
        else if (!done.value())
            emit activity(tr("WebSocket client %1 had already gone").arg(clientId));
        else
            emit activity(tr("Disconnected WebSocket client %1").arg(clientId));
    });
}

}  // namespace kucun
