package io.vigie.alert.notify;

import io.vertx.core.Future;
import io.vigie.alert.notify.domain.Channel;
import io.vigie.alert.notify.domain.Transition;

/** One attempt to notify a channel of one kind; never fails: a failure is an {@link Attempt} that says why. */
interface Sender {
  /** @param deliveryId the same on every attempt of one notification */
  Future<Attempt> send(Channel channel, Transition transition, String deliveryId);
}
