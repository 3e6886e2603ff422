'use strict';
// Regionet's mends to Django's admin widgets that only exist once their scripts ran, so no
// template can name them (loaded on every admin page by templates/admin/base_site.html):
// - Select2 (autocomplete fields): its combobox and the read-only box in it are named by the
//   chosen value alone (nothing when empty), and the search box of a multiple choice has no
//   name at all; all get the field's label.
// - The filter_horizontal widget puts aria-label on a plain <span> icon, where ARIA forbids it:
//   it becomes an image, which may be named.
// - A row added to an inline points aria-describedby at the "__prefix__" row's help text.
{
    function labelOf(select) {
        return select.id ? document.querySelector('label[for="' + CSS.escape(select.id) + '"]') : null;
    }

    function labelId(label) {
        if (!label.id) {
            label.id = label.htmlFor + '_label';
        }
        return label.id;
    }

    function mendSelect2(container) {
        const select = container.previousElementSibling;
        const label = select && select.tagName === 'SELECT' ? labelOf(select) : null;
        if (!label) {
            return;
        }
        const single = container.querySelector('.select2-selection--single');
        if (single) {
            const rendered = single.querySelector('.select2-selection__rendered');
            const ids = [labelId(label)].concat(rendered && rendered.id ? [rendered.id] : []);
            single.setAttribute('aria-labelledby', ids.join(' '));
            if (rendered) {
                // A read-only "textbox" holding the choice: empty (and so nameless) until one is made.
                rendered.setAttribute('aria-labelledby', labelId(label));
            }
        }
        const multiple = container.querySelector('.select2-selection--multiple');
        if (multiple) {
            multiple.setAttribute('aria-labelledby', labelId(label));
        }
        container.querySelectorAll('.select2-search__field').forEach((field) => {
            field.setAttribute('aria-label', label.textContent.trim().replace(/:$/, ''));
        });
    }

    function mend(root) {
        root.querySelectorAll('select + .select2-container').forEach(mendSelect2);
        root.querySelectorAll('span.search-label-icon[aria-label]:not([role])').forEach((icon) => {
            icon.setAttribute('role', 'img');
        });
    }

    // Select2 and the filter widget build their elements at DOMContentLoaded and load, and again
    // for each added inline row or choice made: mend whatever they add, as they add it.
    new MutationObserver(() => mend(document)).observe(document.documentElement, {
        childList: true,
        subtree: true,
    });

    document.addEventListener('formset:added', (event) => {
        const index = event.target.id.split('-').pop();
        event.target.querySelectorAll('[aria-describedby*="__prefix__"]').forEach((input) => {
            const ids = input.getAttribute('aria-describedby').replaceAll('__prefix__', index);
            input.setAttribute('aria-describedby', ids);
        });
    });
}
