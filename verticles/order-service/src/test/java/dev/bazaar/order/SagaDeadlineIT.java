package dev.bazaar.order;

import dev.bazaar.order.OrderTestBed.User;
import dev.bazaar.platform.messaging.EventEnvelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.bazaar.order.OrderTestBed.KEYBOARD;
import static dev.bazaar.order.OrderTestBed.MOUSE;
import static dev.bazaar.order.OrderTestBed.order;
import static dev.bazaar.order.SagaIT.assertCancelledEvent;
import static dev.bazaar.order.SagaIT.paymentSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

/** DESIGN §4.6 with a 2-second deadline: overdue orders are cancelled and compensated, late payments refunded. */
class SagaDeadlineIT {
  @TempDir
  static Path home;
  static OrderTestBed bed;

  @BeforeAll
  static void start() throws Exception {
    bed = OrderTestBed.start(home, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void anOrderWithNoOutcomeByItsDeadlineIsCancelledAndALatePaymentIsRefunded() throws Exception {
    User ann = bed.newUser("ann");
    String id = bed.placed(ann, order("tok_ok", KEYBOARD, 1));
    bed.awaitStatus(id, "CANCELLED");
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND reason = 'deadline_expired' AND version = 1 AND deadline <= updated_at",
      UUID.fromString(id))).isEqualTo(1);
    assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), ann, "deadline_expired", "PENDING");

    // payment-service charged it while the deadline ran out: it stays cancelled and is announced again, for a refund
    EventEnvelope paid = paymentSucceeded(id, ann, 4999);
    bed.produce("payment-events", paid);
    List<EventEnvelope> cancellations = bed.awaitEvents(id, "OrderCancelled", 2);
    assertCancelledEvent(cancellations.get(1), ann, "payment_after_cancel", "CANCELLED");
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND status = 'CANCELLED' AND reason = 'deadline_expired' AND version = 1",
      UUID.fromString(id))).isEqualTo(1);
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderConfirmed'", id)).isZero();

    // the same late event again, then a stale PaymentFailed behind it (same partition): nothing more
    bed.produce("payment-events", paid);
    EventEnvelope stale = SagaIT.paymentFailed(id, ann, "provider_unavailable");
    bed.produce("payment-events", stale);
    bed.awaitProcessed(stale.eventId());
    assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderCancelled'", id)).isEqualTo(2);
    assertThat(bed.count("SELECT count(*) FROM orders WHERE id = ? AND version = 1", UUID.fromString(id))).isEqualTo(1);
  }

  @Test
  void manyOverdueOrdersAreEachCancelledOnceWithOneEventEach() throws Exception {
    User bob = bed.newUser("bob");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(bed.placed(bob, order("tok_ok", MOUSE, 1 + i)));
    }
    for (String id : ids) {
      bed.awaitStatus(id, "CANCELLED");
    }
    for (String id : ids) {
      assertCancelledEvent(bed.awaitEvents(id, "OrderCancelled", 1).get(0), bob, "deadline_expired", "PENDING");
      assertThat(bed.count("SELECT count(*) FROM outbox WHERE record_key = ? AND type = 'OrderCancelled'", id)).isEqualTo(1);
    }
    assertThat(bed.count("SELECT count(*) FROM orders WHERE user_id = ? AND status = 'CANCELLED' AND version = 1",
      UUID.fromString(bob.id()))).isEqualTo(12);
  }
}
