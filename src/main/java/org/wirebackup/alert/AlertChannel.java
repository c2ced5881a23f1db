package org.wirebackup.alert;

/** One way alerts reach people: webhook, email. The log is always on and is not one of these. */
public interface AlertChannel {

    String name();

    void send(Notice notice) throws Exception;
}
