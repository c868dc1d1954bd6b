/* The card page with Stripe: Elements collects the card and confirms the SetupIntent with
   Stripe; our server sees only the SetupIntent's id when Stripe sends the browser back. */
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
    stripe.confirmSetup({elements: elements,
                         confirmParams: {return_url: form.getAttribute("data-return-url")}})
      .then(function (result) {
        if (result.error) document.getElementById("card-errors").textContent =
          result.error.message;
      });
  });
})();
