// Checkout: show the new card's fields only when "A new card" is chosen, and
// keep a second click on "Place order" from sending the form twice (the
// server makes one order either way, thanks to the form's idempotency key).
(function () {
  "use strict";
  var form = document.getElementById("checkout-form");
  if (!form) {
    return;
  }
  var cardFields = document.getElementById("new-card-fields");
  var newValue = cardFields ? cardFields.dataset.newCardValue : "new";

  function chosenCard() {
    var checked = form.querySelector("input[name='card']:checked");
    if (checked) {
      return checked.value;
    }
    var hidden = form.querySelector("input[name='card'][type='hidden']");
    return hidden ? hidden.value : newValue;
  }

  function showCardFields() {
    if (cardFields) {
      cardFields.hidden = chosenCard() !== newValue;
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "card") {
      showCardFields();
    }
  });
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type='submit']");
    if (button) {
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = button.dataset.onceLabel || button.textContent;
      }, 0);
    }
  });
  showCardFields();
})();
