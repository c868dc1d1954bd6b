/* The card and payment pages with Stripe: Elements collects the card and confirms the
   SetupIntent (saving a card) or the PaymentIntent (paying a failed charge, data-mode
   "payment") with Stripe; our server sees only ids, and Stripe's webhook for payments. */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (!form || !window.Stripe) return;
  var stripe = window.Stripe(form.getAttribute("data-stripe-key"));
  var elements = stripe.elements({clientSecret: form.getAttribute("data-client-secret")});
  var card = elements.create("payment");
  card.mount("#card-element");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var confirm = form.getAttribute("data-mode") === "payment" ? stripe.confirmPayment
                                                               : stripe.confirmSetup;
    confirm.call(stripe, {elements: elements,
                          confirmParams: {return_url: form.getAttribute("data-return-url")}})
      .then(function (result) {
        if (result.error) document.getElementById("card-errors").textContent =
          result.error.message;
      });
  });
})();
