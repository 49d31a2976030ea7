// A property form generated from a block's params JSON Schema (zod → toJSONSchema in flows/): text,
// numbers, switches, choices, lists and nested objects, each with a label, its limits as a hint and
// the validator's messages for that field underneath.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { formatNumber } from '../../admin/kit/format.ts';
import { i18next } from '../../i18n/index.ts';
import { Icon } from '../../ui/Icon.tsx';
import { effectiveSchema, defaultValue, humanize, singular, type JsonSchema } from '../blocks/schema.ts';

/** Field path (inside params, e.g. `choices.1`) → validator messages. */
export type FieldMessages = ReadonlyMap<string, readonly string[]>;

export interface SchemaFormProps {
  readonly schema: JsonSchema;
  readonly value: Readonly<Record<string, unknown>>;
  readonly onChange: (next: Record<string, unknown>, field: string) => void;
  readonly messages: FieldMessages;
  readonly disabled: boolean;
}

const MULTILINE = new Set(['body', 'sql', 'text', 'expression', 'message', 'note', 'invalidText', 'timeoutText']);

export function SchemaForm({ schema, value, onChange, messages, disabled }: SchemaFormProps) {
  const required = new Set(schema.required ?? []);
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <p className="muted small">{i18next.t('designer.schemaForm.noSettings')}</p>;
  return (
    <div className="schema-form">
      {properties.map(([name, property]) => (
        <Field
          key={name}
          name={name}
          path={name}
          schema={property}
          value={value[name]}
          required={required.has(name)}
          disabled={disabled}
          messages={messages}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[name];
            else copy[name] = next;
            onChange(copy, name);
          }}
        />
      ))}
    </div>
  );
}

interface FieldProps {
  readonly name: string;
  readonly path: string;
  readonly schema: JsonSchema;
  readonly value: unknown;
  readonly required: boolean;
  readonly disabled: boolean;
  readonly messages: FieldMessages;
  readonly onChange: (next: unknown) => void;
  /** Overrides the label (list items). */
  readonly label?: string;
  readonly compact?: boolean;
}

function Field(props: FieldProps) {
  const s = effectiveSchema(props.schema);
  if (s.enum !== undefined) return <EnumField {...props} schema={s} />;
  switch (s.type) {
    case 'string':
      return <TextField {...props} schema={s} />;
    case 'number':
    case 'integer':
      return <NumberField {...props} schema={s} />;
    case 'boolean':
      return <BooleanField {...props} schema={s} />;
    case 'array': {
      const items = effectiveSchema(s.items ?? {});
      if (items.enum !== undefined) return <MultiChoiceField {...props} schema={s} />;
      if (items.type === 'object') return <ObjectListField {...props} schema={s} />;
      if (items.type === 'string' || items.type === 'number' || items.type === 'integer') return <ListField {...props} schema={s} />;
      return <JsonField {...props} schema={s} />;
    }
    case 'object':
      return <ObjectField {...props} schema={s} />;
    default:
      return <JsonField {...props} schema={s} />;
  }
}

/** Messages for exactly this path, and for everything below it when `deep`. */
function messagesFor(messages: FieldMessages, path: string, deep: boolean): string[] {
  const out: string[] = [...(messages.get(path) ?? [])];
  if (deep) {
    for (const [key, list] of messages) if (key.startsWith(`${path}.`)) out.push(...list);
  }
  return out;
}

function hint(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.type === 'number' || schema.type === 'integer') {
    if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(i18next.t('designer.schemaForm.range', { min: formatNumber(schema.minimum), max: formatNumber(schema.maximum) }));
    else if (schema.minimum !== undefined) parts.push(i18next.t('designer.schemaForm.atLeast', { min: formatNumber(schema.minimum) }));
    else if (schema.maximum !== undefined) parts.push(i18next.t('designer.schemaForm.atMost', { max: formatNumber(schema.maximum) }));
  }
  if (schema.default !== undefined && schema.default !== '' && !(Array.isArray(schema.default) && schema.default.length === 0) && typeof schema.default !== 'object') {
    parts.push(i18next.t('designer.schemaForm.default', { value: String(schema.default) }));
  }
  return parts.join(' · ');
}

function Wrapper({ id, label, required, schema, errors, children, inline }: { id: string; label: string; required: boolean; schema: JsonSchema; errors: readonly string[]; children: ReactNode; inline?: boolean }) {
  const h = hint(schema);
  return (
    <div className={`field${inline === true ? ' field-inline' : ''}${errors.length > 0 ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {required ? (
          <span className="required" aria-hidden>
            *
          </span>
        ) : null}
        {h === '' ? null : <span className="field-hint-inline">{h}</span>}
      </label>
      {children}
      {schema.description === undefined ? null : <span className="field-hint">{schema.description}</span>}
      {errors.map((message, i) => (
        <span key={i} className="field-error" id={`${id}-error-${i}`}>
          <Icon name="error" size={12} /> {message}
        </span>
      ))}
    </div>
  );
}

function useFieldId(path: string): string {
  return `${useId()}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function TextField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const id = useFieldId(path);
  const errors = messagesFor(messages, path, false);
  const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
  const multiline = MULTILINE.has(name) || (schema.maxLength ?? 0) > 2000;
  const common = {
    id,
    value: text,
    disabled,
    maxLength: schema.maxLength,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': errors.length > 0 ? `${id}-error-0` : undefined,
    placeholder: schema.default === '' || !required ? '(none)' : undefined,
    spellCheck: false,
  };
  return (
    <Wrapper id={id} label={label ?? humanize(name)} required={required} schema={schema} errors={errors}>
      {multiline ? (
        <textarea {...common} rows={name === 'body' || name === 'sql' ? 5 : 3} className={name === 'text' || name === 'message' || name === 'note' ? '' : 'mono'} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => onChange(e.target.value)} />
      )}
    </Wrapper>
  );
}

function NumberField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const id = useFieldId(path);
  const errors = messagesFor(messages, path, false);
  const external = typeof value === 'number' ? String(value) : '';
  const [text, setText] = useState(external);
  // Undo, redo or another edit changed the value: show it, unless it is what is being typed.
  useEffect(() => {
    setText((current) => (Number(current) === value && current.trim() !== '' ? current : external));
  }, [external, value]);
  return (
    <Wrapper id={id} label={label ?? humanize(name)} required={required} schema={schema} errors={errors}>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        value={text}
        disabled={disabled}
        min={schema.minimum}
        max={schema.maximum}
        step={schema.type === 'integer' ? 1 : 'any'}
        placeholder={schema.default === undefined ? undefined : String(schema.default)}
        aria-invalid={errors.length > 0 || undefined}
        onChange={(e) => {
          setText(e.target.value);
          const trimmed = e.target.value.trim();
          if (trimmed === '') onChange(undefined); // the default applies
          else if (Number.isFinite(Number(trimmed))) onChange(Number(trimmed));
        }}
      />
    </Wrapper>
  );
}

function BooleanField({ name, path, schema, value, disabled, onChange, label, messages }: FieldProps) {
  const id = useFieldId(path);
  const errors = messagesFor(messages, path, false);
  const checked = typeof value === 'boolean' ? value : schema.default === true;
  return (
    <div className={`field field-switch${errors.length > 0 ? ' has-error' : ''}`}>
      <label className="switch" htmlFor={id}>
        <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-track" aria-hidden />
        <span className="field-label">{label ?? humanize(name)}</span>
      </label>
      {errors.map((message, i) => (
        <span key={i} className="field-error">
          <Icon name="error" size={12} /> {message}
        </span>
      ))}
    </div>
  );
}

function EnumField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const id = useFieldId(path);
  const errors = messagesFor(messages, path, false);
  const options = schema.enum ?? [];
  const current = options.findIndex((o) => o === value);
  return (
    <Wrapper id={id} label={label ?? humanize(name)} required={required} schema={schema} errors={errors}>
      <select id={id} value={current === -1 ? '' : String(current)} disabled={disabled} aria-invalid={errors.length > 0 || undefined} onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)])}>
        {current === -1 ? <option value="">{value === undefined ? i18next.t('designer.schemaForm.defaultOption') : i18next.t('designer.schemaForm.invalidOption', { value: String(value) })}</option> : null}
        {options.map((o, i) => (
          <option key={i} value={String(i)}>
            {o === '' ? i18next.t('designer.schemaForm.noneOption') : String(o)}
          </option>
        ))}
      </select>
    </Wrapper>
  );
}

function MultiChoiceField({ name, path, schema, value, disabled, messages, onChange, label }: FieldProps) {
  const errors = messagesFor(messages, path, true);
  const options = effectiveSchema(schema.items ?? {}).enum ?? [];
  const chosen = Array.isArray(value) ? value : [];
  const groupId = useFieldId(path);
  return (
    <fieldset className={`field field-group${errors.length > 0 ? ' has-error' : ''}`} aria-labelledby={groupId}>
      <legend id={groupId} className="field-label">
        {label ?? humanize(name)}
      </legend>
      <div className="chips-toggle">
        {options.map((o) => (
          <label key={String(o)} className={`chip-toggle${chosen.includes(o) ? ' is-on' : ''}`}>
            <input
              type="checkbox"
              checked={chosen.includes(o)}
              disabled={disabled}
              onChange={(e) => onChange(e.target.checked ? options.filter((x) => x === o || chosen.includes(x)) : chosen.filter((x) => x !== o))}
            />
            {String(o)}
          </label>
        ))}
      </div>
      {errors.map((message, i) => (
        <span key={i} className="field-error">
          <Icon name="error" size={12} /> {message}
        </span>
      ))}
    </fieldset>
  );
}

function ListField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = schema.items ?? {};
  const title = label ?? humanize(name);
  const groupId = useFieldId(path);
  const ownErrors = messagesFor(messages, path, false);
  const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
  return (
    <fieldset className={`field field-group${ownErrors.length > 0 ? ' has-error' : ''}`} aria-labelledby={groupId}>
      <legend id={groupId} className="field-label">
        {title}
        {required ? (
          <span className="required" aria-hidden>
            *
          </span>
        ) : null}
        <span className="field-hint-inline">{items.length === 0 ? i18next.t('designer.schemaForm.empty') : formatNumber(items.length)}</span>
      </legend>
      <div className="list-items">
        {items.map((item, i) => {
          const itemPath = `${path}.${i}`;
          const errors = messagesFor(messages, itemPath, true);
          return (
            <div key={i} className={`list-item${errors.length > 0 ? ' has-error' : ''}`}>
              <div className="list-item-row">
                <ScalarInput schema={itemSchema} value={item} disabled={disabled} ariaLabel={`${title} ${i + 1}`} invalid={errors.length > 0} onChange={(v) => onChange(items.map((x, j) => (j === i ? v : x)))} />
                <button type="button" className="icon-button" disabled={disabled} aria-label={i18next.t('designer.schemaForm.removeItem', { item: singular(name), n: i + 1 })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                  <Icon name="close" size={14} />
                </button>
              </div>
              {errors.map((message, k) => (
                <span key={k} className="field-error">
                  <Icon name="error" size={12} /> {message}
                </span>
              ))}
            </div>
          );
        })}
      </div>
      <button type="button" className="btn btn-ghost btn-sm btn-add" disabled={disabled || items.length >= max} onClick={() => onChange([...items, defaultValue(itemSchema, true) ?? ''])}>
        <Icon name="plus" size={14} /> {i18next.t('designer.schemaForm.addItem', { item: singular(name) })}
      </button>
      {ownErrors.map((message, i) => (
        <span key={i} className="field-error">
          <Icon name="error" size={12} /> {message}
        </span>
      ))}
    </fieldset>
  );
}

function ScalarInput({ schema, value, disabled, ariaLabel, invalid, onChange }: { schema: JsonSchema; value: unknown; disabled: boolean; ariaLabel: string; invalid: boolean; onChange: (v: unknown) => void }) {
  const s = effectiveSchema(schema);
  if (s.type === 'number' || s.type === 'integer') {
    return (
      <input
        type="number"
        aria-label={ariaLabel}
        value={typeof value === 'number' ? value : ''}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        onChange={(e) => onChange(e.target.value === '' ? 0 : Number(e.target.value))}
      />
    );
  }
  return <input type="text" aria-label={ariaLabel} value={typeof value === 'string' ? value : String(value ?? '')} maxLength={s.maxLength} disabled={disabled} aria-invalid={invalid || undefined} spellCheck={false} onChange={(e) => onChange(e.target.value)} />;
}

function ObjectListField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = effectiveSchema(schema.items ?? {});
  const title = label ?? humanize(name);
  const groupId = useFieldId(path);
  const ownErrors = messagesFor(messages, path, false);
  const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
  return (
    <fieldset className="field field-group" aria-labelledby={groupId}>
      <legend id={groupId} className="field-label">
        {title}
        {required ? (
          <span className="required" aria-hidden>
            *
          </span>
        ) : null}
        <span className="field-hint-inline">{items.length === 0 ? i18next.t('designer.schemaForm.empty') : formatNumber(items.length)}</span>
      </legend>
      {items.map((item, i) => (
        <div key={i} className="object-item">
          <div className="object-item-head">
            <span>
              {humanize(singular(name))} {i + 1}
            </span>
            <button type="button" className="icon-button" disabled={disabled} aria-label={i18next.t('designer.schemaForm.removeItem', { item: singular(name), n: i + 1 })} onClick={() => onChange(items.filter((_, j) => j !== i))}>
              <Icon name="trash" size={14} />
            </button>
          </div>
          <ObjectBody
            schema={itemSchema}
            path={`${path}.${i}`}
            value={typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {}}
            disabled={disabled}
            messages={messages}
            labelPrefix={`${humanize(singular(name))} ${i + 1}`}
            onChange={(next) => onChange(items.map((x, j) => (j === i ? next : x)))}
          />
        </div>
      ))}
      <button type="button" className="btn btn-ghost btn-sm btn-add" disabled={disabled || items.length >= max} onClick={() => onChange([...items, defaultValue(itemSchema, true) ?? {}])}>
        <Icon name="plus" size={14} /> {i18next.t('designer.schemaForm.addItem', { item: singular(name) })}
      </button>
      {ownErrors.map((message, i) => (
        <span key={i} className="field-error">
          <Icon name="error" size={12} /> {message}
        </span>
      ))}
    </fieldset>
  );
}

function ObjectField({ name, path, schema, value, disabled, messages, onChange, label }: FieldProps) {
  const groupId = useFieldId(path);
  return (
    <fieldset className="field field-group" aria-labelledby={groupId}>
      <legend id={groupId} className="field-label">
        {label ?? humanize(name)}
      </legend>
      <ObjectBody schema={schema} path={path} value={typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}} disabled={disabled} messages={messages} onChange={onChange} />
    </fieldset>
  );
}

function ObjectBody({ schema, path, value, disabled, messages, onChange, labelPrefix }: { schema: JsonSchema; path: string; value: Record<string, unknown>; disabled: boolean; messages: FieldMessages; onChange: (next: Record<string, unknown>) => void; labelPrefix?: string }) {
  const required = new Set(schema.required ?? []);
  return (
    <div className="object-body">
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <Field
          key={key}
          name={key}
          path={`${path}.${key}`}
          schema={property}
          value={value[key]}
          required={required.has(key)}
          disabled={disabled}
          messages={messages}
          label={labelPrefix === undefined ? undefined : humanize(key)}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </div>
  );
}

/** Anything the form cannot draw: edited as JSON, applied when it parses. */
function JsonField({ name, path, schema, value, required, disabled, messages, onChange, label }: FieldProps) {
  const id = useFieldId(path);
  const external = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(external);
  const [parseError, setParseError] = useState<string | null>(null);
  useEffect(() => {
    setText(external);
  }, [external]);
  const errors = [...messagesFor(messages, path, true), ...(parseError === null ? [] : [parseError])];
  return (
    <Wrapper id={id} label={label ?? humanize(name)} required={required} schema={schema} errors={errors}>
      <textarea
        id={id}
        className="mono"
        rows={4}
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text.trim() === '') {
            setParseError(null);
            onChange(undefined);
            return;
          }
          try {
            onChange(JSON.parse(text) as unknown);
            setParseError(null);
          } catch (err) {
            setParseError(i18next.t('designer.schemaForm.notJson', { reason: err instanceof Error ? err.message : String(err) }));
          }
        }}
      />
    </Wrapper>
  );
}
