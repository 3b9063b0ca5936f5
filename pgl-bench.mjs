import { PGlite } from '@electric-sql/pglite';
const db = await PGlite.create(process.argv[2]);
await db.exec(`create table users(id uuid primary key, email text, x text);
create table s(id text primary key, user_id uuid references users(id), last timestamptz, revoked timestamptz);
create table totp(user_id uuid, confirmed timestamptz); create table pk(user_id uuid);
create index on totp(user_id); create index on pk(user_id);
insert into users values ('11111111-1111-1111-1111-111111111111','a@b','x');
insert into s values ('abc','11111111-1111-1111-1111-111111111111', now(), null);`);
async function time(label, fn, n=2000){ for(let i=0;i<200;i++) await fn(); const t=performance.now(); for(let i=0;i<n;i++) await fn(); console.log(label, ((performance.now()-t)/n*1000).toFixed(0),'µs'); }
await time('select 1', ()=>db.query('select 1'));
await time('pk lookup', ()=>db.query('select * from s where id=$1',['abc']));
await time('join+exists', ()=>db.query(`select s.*, u.*, exists(select 1 from totp t where t.user_id=u.id and t.confirmed is not null), exists(select 1 from pk p where p.user_id=u.id) from s join users u on u.id=s.user_id where s.id=$1`,['abc']));
await time('update', ()=>db.query('update s set last=now() where id=$1',['abc']));
await time('exec simple pk', ()=>db.exec("select * from s where id='abc'"));
