package dev.bazaar.platform.discovery;

import io.vertx.core.json.JsonObject;
import io.vertx.servicediscovery.Record;

/** One running instance of a service, as discovery holds it. */
public record ServiceInstance(String registration, String service, String instanceId, String host, int port,
                              String nodeId, long pid, long startedAt, long heartbeatAt) {

  static final String INSTANCE_ID = "instanceId";
  static final String NODE_ID = "nodeId";
  static final String PID = "pid";
  static final String STARTED_AT = "startedAt";
  static final String HEARTBEAT_AT = "heartbeatAt";

  static ServiceInstance fromRecord(Record record) {
    JsonObject location = record.getLocation() == null ? new JsonObject() : record.getLocation();
    JsonObject metadata = record.getMetadata() == null ? new JsonObject() : record.getMetadata();
    return new ServiceInstance(
      record.getRegistration(),
      record.getName(),
      metadata.getString(INSTANCE_ID, record.getRegistration()),
      location.getString("host"),
      location.getInteger("port", 0),
      metadata.getString(NODE_ID),
      metadata.getLong(PID, -1L),
      metadata.getLong(STARTED_AT, 0L),
      metadata.getLong(HEARTBEAT_AT, 0L));
  }

  public String address() {
    return host + ":" + port;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("instanceId", instanceId)
      .put("host", host)
      .put("port", port)
      .put("pid", pid)
      .put("nodeId", nodeId)
      .put("startedAt", startedAt)
      .put("heartbeatAt", heartbeatAt);
  }
}
