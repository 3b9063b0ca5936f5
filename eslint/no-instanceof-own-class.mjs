// The production build bundles lib/ more than once, and singletons on globalThis are built by whichever
// copy ran first: `x instanceof OurClass` is false when x came from another copy. Our own classes are
// recognised by a brand (lib/errors/brand.ts) instead; this rule keeps `instanceof` for built-ins and
// packages only.
const OWN_SOURCE = /^(@\/|\.{1,2}\/)/;

export const noInstanceofOwnClass = {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow instanceof against classes of this project (use a branded type guard).' },
    messages: {
      own: '`instanceof {{name}}` fails across server bundles; use its branded type guard (lib/errors/brand.ts).',
    },
    schema: [],
  },
  create(context) {
    const ownNames = new Set();
    return {
      ImportDeclaration(node) {
        if (!OWN_SOURCE.test(String(node.source.value))) return;
        for (const specifier of node.specifiers) ownNames.add(specifier.local.name);
      },
      ClassDeclaration(node) {
        if (node.id) ownNames.add(node.id.name);
      },
      'BinaryExpression[operator="instanceof"]:exit'(node) {
        const right = node.right;
        if (right.type === 'Identifier' && ownNames.has(right.name)) {
          context.report({ node, messageId: 'own', data: { name: right.name } });
        }
      },
    };
  },
};

const plugin = { rules: { 'no-instanceof-own-class': noInstanceofOwnClass } };
export default plugin;
