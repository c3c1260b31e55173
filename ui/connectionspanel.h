#pragma once

#include <QWidget>

class QPushButton;
class QTableView;

namespace kucun {

class ChannelsModel;
class ClientsModel;
class HubLink;

// The Clients & channels panel (SPEC §8.1): the WebSocket clients, with a button to disconnect
// the selected one, and the channels.
class ConnectionsPanel : public QWidget
{
    Q_OBJECT

public:
    ConnectionsPanel(HubLink &engine, ClientsModel &clients, ChannelsModel &channels,
                     QWidget *parent = nullptr);

    QTableView *clientsView() const { return m_clientsView; }
    void disconnectSelected();

signals:
    void activity(const QString &text);

private:
    HubLink &m_engine;
    QTableView *m_clientsView = nullptr;
    QTableView *m_channelsView = nullptr;
    QPushButton *m_disconnect = nullptr;
};

}  // namespace kucun
