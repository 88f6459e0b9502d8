// The feed page's "Copy the address": the clipboard where the page may use it (https or
// localhost), else the address selected, ready for the phone's own copy.
(() => {
  const field = document.getElementById("feed-url");
  const status = document.getElementById("copied");
  document.getElementById("copy-feed").addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied. Paste it into your podcast app.";
    } catch {
      status.textContent = "Selected: use your phone's Copy to copy it.";
    }
  });
})();
